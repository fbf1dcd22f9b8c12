namespace FleetInfra.Hosting.Components.RedisInsight;

/// <summary>The RedisInsight image, pinned in one place.</summary>
/// <remarks>3.4: the tag Aspire 13.6 itself pins for <c>WithRedisInsight</c> (dotnet/aspire
/// src/Aspire.Hosting.Redis/RedisContainerImageTags.cs, RedisInsightTag).</remarks>
internal static class RedisInsightContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "redis/redisinsight";
    public const string Tag = "3.4";
}
