namespace FleetInfra.Hosting.Components.Traefik;

/// <summary>The Traefik image, pinned in one place.</summary>
/// <remarks>v3.6.25, the last v3.6 patch in the official image (docker-library/official-images library/traefik before
/// 14195e19, 2026-08-19, which moved the image to v3.7.11 and dropped v3.6). Moves with <see cref="TraefikChart"/>
/// (39.0.9, the last chart of the v3.6 line). v3.7 (chart 40+) is the next step: see eng/README.md, "Pins".</remarks>
internal static class TraefikContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "library/traefik";
    // renovate: datasource=docker depName=library/traefik
    public const string Tag = "v3.6.25";
}
