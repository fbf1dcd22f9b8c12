namespace FleetInfra.Hosting.Components.Temporal;

/// <summary>The Temporal images (schema tool, server, UI), pinned in one place.</summary>
internal static class TemporalContainerImageTags
{
    public const string Registry = "docker.io";
    public const string AdminToolsImage = "temporalio/admin-tools";
    public const string ServerImage = "temporalio/server";
    public const string ServerTag = "1.29.1";
    public const string AdminToolsTag = ServerTag; // the schema must match the server version
    public const string UiImage = "temporalio/ui";
    public const string UiTag = "2.42.1";
}
