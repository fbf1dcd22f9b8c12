namespace FleetInfra.Hosting.Components.Monitoring;

/// <summary>The Prometheus image, pinned in one place.</summary>
/// <remarks>v3.14.0: what kube-prometheus-stack 88.5.3 ships (prometheus-community/helm-charts
/// charts/kube-prometheus-stack/values.yaml, prometheus.prometheusSpec.image); 2.x ended with v2.55.1. The command line
/// and configuration the model writes (--config.file, --storage.tsdb.path, --web.enable-lifecycle, static scrape
/// configs) are the same in 2.x and 3.x; eng/README.md says what CI's Debian 2.42 stand-in then proves.</remarks>
internal static class PrometheusContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "prom/prometheus";
    // renovate: datasource=docker depName=prom/prometheus
    public const string Tag = "v3.14.0";
}

/// <summary>The Grafana image, pinned in one place.</summary>
/// <remarks>12.4.10: 12.2 reached end of life on 2026-06-23 (12.2.10 its last patch); 12.4 is the final 12.x minor with
/// extended support (grafana.com/docs/grafana/latest/upgrade-guide/when-to-upgrade/) and fixes CVE-2026-27876 (12.4.2)
/// and the JWT role-mapping bypass (12.4.5). Staying on 12.x keeps the provisioning the model writes unchanged.</remarks>
internal static class GrafanaContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "grafana/grafana";
    // renovate: datasource=docker depName=grafana/grafana
    public const string Tag = "12.4.10";
}
