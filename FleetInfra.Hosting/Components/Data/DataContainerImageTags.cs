namespace FleetInfra.Hosting.Components.Data;

/// <summary>The PostgreSQL image, pinned in one place.</summary>
internal static class PostgresContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "library/postgres";
    public const string Tag = "17.6";
}

/// <summary>The Redis image, pinned in one place.</summary>
internal static class RedisContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "library/redis";
    public const string Tag = "7.4.6";
}
