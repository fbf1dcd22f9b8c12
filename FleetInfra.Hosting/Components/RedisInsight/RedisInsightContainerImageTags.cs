namespace FleetInfra.Hosting.Components.RedisInsight;

/// <summary>The RedisInsight image, pinned in one place.</summary>
internal static class RedisInsightContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "redis/redisinsight";
    public const string Tag = "2.70.1";
}
