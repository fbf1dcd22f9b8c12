namespace FleetInfra.Hosting.Components.Traefik;

/// <summary>The Traefik image, pinned in one place.</summary>
internal static class TraefikContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "library/traefik";
    public const string Tag = "v3.5.3";
}
