namespace FleetInfra.Hosting.Components.Redis;

/// <summary>The Redis image, pinned in one place.</summary>
internal static class RedisContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "library/redis";
    public const string Tag = "7.4.6";
}
