namespace FleetInfra.Hosting.Components.N8n;

/// <summary>The n8n image, pinned in one place.</summary>
internal static class N8nContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "n8nio/n8n";
    public const string Tag = "1.119.2";
}
