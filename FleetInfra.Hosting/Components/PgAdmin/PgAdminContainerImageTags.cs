namespace FleetInfra.Hosting.Components.PgAdmin;

/// <summary>The pgAdmin image, pinned in one place.</summary>
internal static class PgAdminContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "dpage/pgadmin4";
    public const string Tag = "9.9";
}
