using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Manifests;

namespace FleetInfra.Hosting.Components.Monitoring;

/// <summary>
/// Prometheus, Grafana and the cluster-only parts of the monitoring stack in the cluster: one kube-prometheus-stack
/// release, pinned, whose values switch on the parts the model has and carry the model's images.
/// </summary>
public static class KubePrometheusStackChart
{
    /// <summary>The Secret with Grafana's admin user and password, made by an ExternalSecret.</summary>
    private const string GrafanaAdminSecret = "grafana-admin";

    /// <summary>kube-prometheus-stack: Prometheus, Grafana, Alertmanager, node exporter, kube-state-metrics.</summary>
    /// <remarks>88.5.3, the newest (prometheus-community/helm-charts charts/kube-prometheus-stack/Chart.yaml, operator
    /// v0.93.1). Its UPGRADE.md from 79.x to 88.x: each major moves the operator and its CRDs (helm-controller replaces them
    /// here: CreateReplace), 84.x defaults to Grafana 13 and 85.x to distroless images; neither default applies, because
    /// the release carries the model's Prometheus and Grafana images.</remarks>
    public static HelmChart Chart { get; } = new("prometheus-community", "https://prometheus-community.github.io/helm-charts", "kube-prometheus-stack", "88.5.3", "monitoring", "kube-prometheus-stack")
    {
        ProvidesApiGroups = ["monitoring.coreos.com"],
        PodName = "prometheus",
        WebhookPorts = [10250],
        // Node exporter runs on the host network and reads host paths: its namespace must allow privileged pods.
        Parts = [new("alertmanager"), new("nodeExporter", PodSecurity: "privileged"), new("kubeStateMetrics")],
        Values = Values,
        ServiceOf = ServiceOf,
    };

    /// <summary>The services the chart makes for Grafana and Prometheus (named after the release).</summary>
    private static ChartService? ServiceOf(IResource member) => member switch
    {
        GrafanaResource => new(Chart.Namespace, "kube-prometheus-stack-grafana", 80, "grafana", GrafanaResource.HttpTargetPort),
        PrometheusResource => new(Chart.Namespace, "kube-prometheus-stack-prometheus", PrometheusResource.HttpTargetPort, "prometheus", PrometheusResource.HttpTargetPort),
        _ => null,
    };

    private static IDictionary<string, object> Values(HelmReleaseContext release)
    {
        var chart = release.Chart;
        var values = new Dictionary<string, object>
        {
            ["crds"] = new Dictionary<string, object> { ["enabled"] = true },
            ["prometheusOperator"] = new Dictionary<string, object> { ["resources"] = HelmReleaseContext.Resources("100m", "128Mi", "500m", "512Mi") },
        };
        foreach (var part in chart.Parts)
        {
            values[part.ValuesKey] = new Dictionary<string, object> { ["enabled"] = release.HasPart(part) };
        }

        if (release.Member<PrometheusResource>() is { } prometheus)
        {
            values["prometheus"] = new Dictionary<string, object>
            {
                ["prometheusSpec"] = new Dictionary<string, object>
                {
                    // The model's Prometheus, not the chart's default (quay.io/prometheus/prometheus v3.14.0-distroless at 88.5.3): the
                    // cluster runs the version whose configuration the local run and its tests exercise. Move both together.
                    ["image"] = HelmReleaseContext.Image(prometheus),
                    ["retention"] = "10d",
                    ["resources"] = HelmReleaseContext.Resources("250m", "512Mi", "1", "2Gi"),
                    ["serviceMonitorSelectorNilUsesHelmValues"] = false,
                    ["podMonitorSelectorNilUsesHelmValues"] = false,
                    // The model's scrape declarations (PrometheusScrapeAnnotation), as static targets on the services.
                    ["additionalScrapeConfigs"] = PrometheusClusterScrape.Targets(release.Build).Select(t => (object)new Dictionary<string, object>
                    {
                        ["job_name"] = t.Resource.Name,
                        ["metrics_path"] = t.Path,
                        ["static_configs"] = new object[]
                        {
                            new Dictionary<string, object>
                            {
                                ["targets"] = new object[] { $"{t.Host}:{FluxBuildContext.Port(t.Port)}" },
                                ["labels"] = new Dictionary<string, object> { ["app_kubernetes_io_name"] = t.Resource.Name, ["app_kubernetes_io_part_of"] = FluxBuildContext.PartOf },
                            },
                        },
                    }).ToArray(),
                },
            };
        }

        if (release.Member<GrafanaResource>() is { } grafana)
        {
            values["grafana"] = new Dictionary<string, object>
            {
                ["enabled"] = true,
                ["image"] = HelmReleaseContext.Image(grafana),
                ["admin"] = new Dictionary<string, object> { ["existingSecret"] = GrafanaAdminSecret, ["userKey"] = "admin-user", ["passwordKey"] = "admin-password" },
                ["resources"] = HelmReleaseContext.Resources("100m", "256Mi", "500m", "512Mi"),
            };
            release.References.Add(new FluxReference("Secret", chart.Namespace, GrafanaAdminSecret, "spec.values.grafana.admin.existingSecret"));
            var remote = release.RemoteSecret(grafana, grafana.AdminPassword, "its admin password");
            release.AddAfterRelease(grafana, FluxBuildContext.ExternalSecret(chart.Namespace, GrafanaAdminSecret, release.Build.Labels(grafana),
                [new ExternalSecretData("password", new ExternalSecretRemoteRef(remote))],
                new ExternalSecretTemplate(new Dictionary<string, string> { ["admin-user"] = "admin", ["admin-password"] = "{{ .password }}" })));
        }
        else
        {
            values["grafana"] = new Dictionary<string, object> { ["enabled"] = false };
        }

        return values;
    }
}
