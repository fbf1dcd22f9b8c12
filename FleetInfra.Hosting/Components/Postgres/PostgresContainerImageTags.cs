namespace FleetInfra.Hosting.Components.Postgres;

/// <summary>The PostgreSQL image, pinned in one place.</summary>
internal static class PostgresContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "library/postgres";
    public const string Tag = "17.6";
}
