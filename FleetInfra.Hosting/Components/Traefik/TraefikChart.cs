using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Lint;

namespace FleetInfra.Hosting.Components.Traefik;

/// <summary>Traefik in the cluster: its Helm chart, pinned, with the values the model gives it.</summary>
public static class TraefikChart
{
    /// <summary>The fixed node port of Traefik's web entrypoint in development (kind: map it with extraPortMappings).</summary>
    public const int DevelopmentWebNodePort = 30080;

    /// <summary>
    /// The TLS entrypoint routes use where the cluster serves TLS, and its container port (the values below define them).
    /// </summary>
    internal const string WebsecureEntryPoint = "websecure";

    /// <inheritdoc cref="WebsecureEntryPoint"/>
    internal const int WebsecurePort = 8443;

    /// <summary>The port of the chart's metrics entrypoint and its <c>traefik-metrics</c> service (values.yaml ports.metrics).</summary>
    internal const int MetricsPort = 9100;

    /// <summary>Traefik (ingress; installs the traefik.io CRDs).</summary>
    /// <remarks>39.0.9: the last chart of the Traefik v3.6 line (traefik/traefik-helm-chart traefik/Chart.yaml at v39.0.9,
    /// appVersion v3.6.15); v37.3.0 was the first with v3.6, v40.0.0 moved to v3.7. The image is the model's
    /// (<see cref="TraefikContainerImageTags"/>), so chart and image move together.</remarks>
    public static HelmChart Chart { get; } = new("traefik", "https://traefik.github.io/charts", "traefik", "39.0.9", "traefik", "traefik")
    {
        ProvidesApiGroups = ["traefik.io"],
        RetiredApiVersions = new Dictionary<string, string>(StringComparer.Ordinal) { ["traefik.containo.us/v1alpha1"] = "traefik.io/v1alpha1" },
        PodName = "traefik",
        // crds/ of chart 39.0.9 also holds the Gateway API v1.4.0 standard CRDs (gateway-standard-install.yaml), which
        // Helm installs whatever the values say. CreateReplace would overwrite a newer copy a CNI or gateway provider
        // installed, cluster-wide, on every upgrade.
        InstallCrds = "Create",
        UpgradeCrds = "Skip",
        CrdPolicyReason = "its chart ships the Gateway API CRDs (v1.4.0) beside its own: `Create` installs them only where no copy exists and upgrades never replace a provider's newer copy. The traefik.io CRDs then stay at the first installed version: upgrade them with the chart's CRDs (`kubectl apply --server-side -f` the chart's crds/ folder, or the separate `traefik-crds` chart) when Traefik's chart moves.",
        Values = Values,
        ClusterConfiguration = TraefikDefaultCertificate.Write,
    };

    private static IDictionary<string, object> Values(HelmReleaseContext release)
    {
        var traefik = release.Members.OfType<TraefikResource>().First();
        var cluster = release.Cluster;
        var web = FluxBuildContext.TargetPort(traefik, TraefikResource.WebEndpointName);
        return new Dictionary<string, object>
        {
            ["image"] = HelmReleaseContext.Image(traefik),
            ["deployment"] = new Dictionary<string, object> { ["replicas"] = cluster.Strict ? 2 : 1 },
            // The chart's default Service is a LoadBalancer (traefik-helm-chart v39.0.9 traefik/values.yaml). Under Helm 3's
            // wait (helm-controller before Flux 2.8, or UseHelm3Defaults) it is ready only with an ingress IP
            // (helm pkg/kube/ready.go), which kind and bare metal never get: development uses a NodePort instead.
            ["service"] = cluster.EmulatesAws
                ? new Dictionary<string, object> { ["type"] = "NodePort" }
                : new Dictionary<string, object> { ["type"] = "LoadBalancer", ["annotations"] = PublicLoadBalancerRule.InternetFacingNlb() },
            ["ports"] = new Dictionary<string, object>
            {
                ["traefik"] = new Dictionary<string, object> { ["port"] = FluxBuildContext.TargetPort(traefik, TraefikResource.DashboardEndpointName) },
                ["web"] = cluster.EmulatesAws
                    ? new Dictionary<string, object> { ["port"] = web, ["nodePort"] = DevelopmentWebNodePort }
                    : cluster.Tls
                        // Plain HTTP only redirects to the TLS entrypoint (values.yaml ports.web.http.redirections: chart 39.0.0
                        // moved the entrypoints' HTTP options under `http`, traefik-helm-chart#1603).
                        ? new Dictionary<string, object>
                        {
                            ["port"] = web,
                            ["http"] = new Dictionary<string, object>
                            {
                                ["redirections"] = new Dictionary<string, object> { ["entryPoint"] = new Dictionary<string, object> { ["to"] = WebsecureEntryPoint, ["scheme"] = "https", ["permanent"] = true } },
                            },
                        }
                        : new Dictionary<string, object> { ["port"] = web },
                // Traefik's TLS entrypoint and its container port (traefik-helm-chart v39.0.9 values.yaml: ports.websecure).
                [WebsecureEntryPoint] = new Dictionary<string, object> { ["port"] = WebsecurePort },
            },
            ["ingressRoute"] = new Dictionary<string, object> { ["dashboard"] = new Dictionary<string, object> { ["enabled"] = false } },
            ["providers"] = new Dictionary<string, object>
            {
                ["kubernetesCRD"] = new Dictionary<string, object> { ["enabled"] = true, ["allowCrossNamespace"] = false },
            },
            ["metrics"] = new Dictionary<string, object>
            {
                ["prometheus"] = new Dictionary<string, object> { ["entryPoint"] = "metrics", ["service"] = new Dictionary<string, object> { ["enabled"] = true } },
            },
            ["resources"] = HelmReleaseContext.Resources("100m", "128Mi", "1", "512Mi"),
        };
    }
}
