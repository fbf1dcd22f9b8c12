namespace FleetInfra.Hosting.Components.N8n;

/// <summary>The n8n image, pinned in one place.</summary>
/// <remarks>
/// 2.41.1: a current 2.x release whose npm dependencies are all served where CI builds its image (2.41.3, the
/// newest 2.41.x on npm, is not: re-checked for issue 19 with `npm install --package-lock-only n8n@2.41.3`, ETARGET
/// for its dependency @n8n/agents@0.26.2), past the fixed version of every critical and high n8n-io/n8n security advisory checked (issue 9:
/// CVE-2025-68613 1.120.4, CVE-2026-21858 1.121.0, CVE-2026-21877 1.121.3, CVE-2025-68668 2.0.0,
/// GHSA-8398-gmmx-564h 2.4.8, CVE-2026-49444 2.22.4, GHSA-x5vx-c2c8-m3w9 / GHSA-p3rg-hrf9-w9gj /
/// GHSA-9wcp-9r3j-383q / GHSA-g3r5-9h93-4j2c 2.30.1). eng/images.env builds the CI stand-in
/// (localhost/fleetinfra/n8n) from the same version; a model test keeps the two equal.
/// </remarks>
internal static class N8nContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "n8nio/n8n";
    // renovate: datasource=docker depName=n8nio/n8n
    public const string Tag = "2.41.1";
}
