namespace FleetInfra.Hosting.Components.PgAdmin;

/// <summary>The pgAdmin image, pinned in one place.</summary>
/// <remarks>9.15.0: the tag Aspire 13.6 itself pins for <c>WithPgAdmin</c> (dotnet/aspire
/// src/Aspire.Hosting.PostgreSQL/PostgresContainerImageTags.cs, PgAdminTag).</remarks>
internal static class PgAdminContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "dpage/pgadmin4";
    public const string Tag = "9.15.0";
}
