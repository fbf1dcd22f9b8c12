namespace FleetInfra.Hosting.Components.Temporal;

/// <summary>
/// The Temporal images (schema and namespace tool, server, UI), pinned together in one place: server 1.29.7, the newest
/// 1.29 patch (1.29.4.1 fixes CVE-2026-33186, critical, gRPC; 1.29.5 CVE-2026-5199, temporalio/temporal#9767), with the
/// admin-tools build of the same server (1.29.7-tctl-1.18.4-cli-1.7.2) and UI 2.52.1, the UI temporalio/helm-charts
/// ships today (charts/temporal/values.yaml, 5dc63d6, 2026-07-28; the UI is released apart from the server and talks to
/// it through the public gRPC/HTTP API). The chart itself moved to 1.30+ in April 2026 (f45aaf0); its last 1.29 set was
/// server 1.29.2 (23ea65a). Tags are published on Docker Hub under temporalio/server, temporalio/admin-tools and
/// temporalio/ui. admin-tools of the 1.29 line is tagged
/// <c>&lt;server&gt;-tctl-&lt;tctl&gt;-cli-&lt;cli&gt;</c> or <c>major.minor</c>, never with a bare patch version
/// (temporalio/temporal#8431); its schemas and CLI serve every 1.29 patch release. From 1.30 the server image no longer
/// ships config/dynamicconfig/docker.yaml (DYNAMIC_CONFIG_FILE_PATH must point at a file of ours): moving past 1.29 is
/// a change of its own.
/// </summary>
internal static class TemporalContainerImageTags
{
    public const string Registry = "docker.io";
    public const string ServerImage = "temporalio/server";
    // renovate: datasource=docker depName=temporalio/server
    public const string ServerTag = "1.29.7";
    public const string AdminToolsImage = "temporalio/admin-tools";
    // renovate: datasource=docker depName=temporalio/admin-tools
    public const string AdminToolsTag = "1.29.7-tctl-1.18.4-cli-1.7.2";
    public const string UiImage = "temporalio/ui";
    // renovate: datasource=docker depName=temporalio/ui
    public const string UiTag = "2.52.1";
}
