namespace FleetInfra.Hosting.Components.RedisInsight;

/// <summary>
/// RedisInsight with the Redis of the model pre-registered through its <c>RI_REDIS_*</c> settings.
/// (Aspire's <c>WithRedisInsight</c> is not used: it is excluded from publishing.)
/// </summary>
public sealed class RedisInsightResource(string name) : ContainerResource(name)
{
    /// <summary>The HTTP endpoint.</summary>
    public const string HttpEndpointName = "http";

    internal const int HttpTargetPort = 5540;
}
