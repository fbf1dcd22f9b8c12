namespace FleetInfra.Hosting.Components.Temporal;

/// <summary>
/// The Temporal images (schema and namespace tool, server, UI), pinned together in one place. The set is the one
/// Temporal's own Helm chart ships for the newest 1.29 server (temporalio/helm-charts charts/temporal/values.yaml at
/// 23ea65a, 2026-03-25: server 1.29.2, admin-tools 1.29.1-tctl-1.18.4-cli-1.5.0, ui 2.42.1); temporalio/docker-compose
/// .env (cd6d3b1) pins the same admin-tools tag. Tags are published on Docker Hub under temporalio/server,
/// temporalio/admin-tools and temporalio/ui. admin-tools of the 1.29 line is tagged
/// <c>&lt;server&gt;-tctl-&lt;tctl&gt;-cli-&lt;cli&gt;</c> or <c>major.minor</c>, never with a bare patch version
/// (temporalio/temporal#8431); its schemas and CLI serve every 1.29 patch release. From 1.30 the server image no longer
/// ships config/dynamicconfig/docker.yaml (DYNAMIC_CONFIG_FILE_PATH must point at a file of ours): moving past 1.29 is
/// a change of its own.
/// </summary>
internal static class TemporalContainerImageTags
{
    public const string Registry = "docker.io";
    public const string ServerImage = "temporalio/server";
    public const string ServerTag = "1.29.2";
    public const string AdminToolsImage = "temporalio/admin-tools";
    public const string AdminToolsTag = "1.29.1-tctl-1.18.4-cli-1.5.0";
    public const string UiImage = "temporalio/ui";
    public const string UiTag = "2.42.1";
}
