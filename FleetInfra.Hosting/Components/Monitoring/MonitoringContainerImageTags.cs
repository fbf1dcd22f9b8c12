namespace FleetInfra.Hosting.Components.Monitoring;

/// <summary>The Prometheus image, pinned in one place.</summary>
internal static class PrometheusContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "prom/prometheus";
    public const string Tag = "v2.55.1";
}

/// <summary>The Grafana image, pinned in one place.</summary>
internal static class GrafanaContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "grafana/grafana";
    public const string Tag = "12.2.1";
}
