namespace FleetInfra.Hosting.Components.PgAdmin;

/// <summary>The pgAdmin image, pinned in one place.</summary>
/// <remarks>9.18.0 (2026-09-10), the newest pgAdmin release: 9.16 fixes CVE-2026-12044…12050 (among them a critical
/// stored XSS and SQL Editor routes reachable without login), 9.17 CVE-2026-17346…17351 and 17566 (pgadmin-org/pgadmin4
/// docs/en_US/release_notes_9_16.rst, release_notes_9_17.rst), 9.18 a Webserver-authentication bypass and a Backup-tool
/// injection (#10383, #10384 in release_notes_9_18.rst). Aspire 13.6 itself still pins 9.15.0 for <c>WithPgAdmin</c>.</remarks>
internal static class PgAdminContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "dpage/pgadmin4";
    // renovate: datasource=docker depName=dpage/pgadmin4
    public const string Tag = "9.18.0";
}
