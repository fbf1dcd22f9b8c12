namespace FleetInfra.Hosting.Publishing;

/// <summary>A Helm chart a component is installed from in the cluster (a Flux HelmRepository + HelmRelease).</summary>
/// <param name="Repository">Name of the HelmRepository object.</param>
/// <param name="RepositoryUrl">Chart repository URL (<c>oci://</c> for OCI repositories).</param>
/// <param name="Chart">Chart name.</param>
/// <param name="Version">Pinned chart version.</param>
/// <param name="Namespace">Namespace of the release.</param>
/// <param name="ReleaseName">Helm release name.</param>
public sealed record HelmChart(string Repository, string RepositoryUrl, string Chart, string Version, string Namespace, string ReleaseName)
{
    /// <summary>API groups whose CRDs the chart installs (what objects of downstream waves may use).</summary>
    public IReadOnlyList<string> ProvidesApiGroups { get; init; } = [];

    /// <summary>The <c>app.kubernetes.io/name</c> label of the chart's main pods (a NetworkPolicy peer).</summary>
    public string? PodName { get; init; }

    /// <summary>Ports the API server calls (admission webhooks): allowed in through the namespace's default deny.</summary>
    public IReadOnlyList<int> WebhookPorts { get; init; } = [];

    /// <summary>
    /// helm-controller's CRD policy on install (<c>Skip</c>, <c>Create</c>, <c>CreateReplace</c>). The default replaces the
    /// chart's own CRDs so an operator's CRDs follow its chart version.
    /// </summary>
    public string InstallCrds { get; init; } = "CreateReplace";

    /// <summary>helm-controller's CRD policy on upgrade (see <see cref="InstallCrds"/>).</summary>
    public string UpgradeCrds { get; init; } = "CreateReplace";

    /// <summary>Why the chart does not use the default CRD policy (stated in the tree's README).</summary>
    public string? CrdPolicyReason { get; init; }

    /// <summary>The Flux versions the chart works with, where narrower than the tree's (stated in the tree's README).</summary>
    public string? SupportedFlux { get; init; }

    /// <summary>Parts of the chart a component switches on (<c>WithHelmChart(chart, part: …)</c>); the others are disabled.</summary>
    public IReadOnlyList<HelmChartPart> Parts { get; init; } = [];

    /// <summary>True when the repository is an OCI registry.</summary>
    public bool IsOci => RepositoryUrl.StartsWith("oci://", StringComparison.Ordinal);
}

/// <summary>An optional part of a chart, switched on by the component that stands for it.</summary>
/// <param name="ValuesKey">The part's values key; the release gets <c>&lt;key&gt;.enabled</c>.</param>
/// <param name="PodSecurity">The pod-security level its namespace needs (<c>privileged</c> for host access), if above baseline.</param>
public sealed record HelmChartPart(string ValuesKey, string? PodSecurity = null);

/// <summary>The charts of the fleet-infra stack, pinned in one place.</summary>
public static class HelmCharts
{
    /// <summary>Every chart of the stack.</summary>
    public static IReadOnlyList<HelmChart> All => [Traefik, CloudNativePg, ExternalSecrets, KubePrometheusStack, WeaveGitOps];

    /// <summary>Traefik (ingress; installs the traefik.io CRDs).</summary>
    public static HelmChart Traefik { get; } = new("traefik", "https://traefik.github.io/charts", "traefik", "37.1.2", "traefik", "traefik")
    {
        ProvidesApiGroups = ["traefik.io"],
        PodName = "traefik",
        // crds/ of chart 37.1.2 also holds the Gateway API v1.3.0 standard CRDs (gateway-standard-install.yaml), which
        // Helm installs whatever the values say. CreateReplace would overwrite a newer copy a CNI or gateway provider
        // installed, cluster-wide, on every upgrade.
        InstallCrds = "Create",
        UpgradeCrds = "Skip",
        CrdPolicyReason = "its chart ships the Gateway API CRDs (v1.3.0) beside its own: `Create` installs them only where no copy exists and upgrades never replace a provider's newer copy. The traefik.io CRDs then stay at the first installed version: upgrade them with the chart's CRDs (`kubectl apply --server-side -f` the chart's crds/ folder, or the separate `traefik-crds` chart) when Traefik's chart moves.",
    };

    /// <summary>CloudNativePG operator.</summary>
    public static HelmChart CloudNativePg { get; } = new("cnpg", "https://cloudnative-pg.github.io/charts", "cloudnative-pg", "0.26.1", "cnpg-system", "cnpg")
    {
        ProvidesApiGroups = ["postgresql.cnpg.io"],
        PodName = "cloudnative-pg",
        WebhookPorts = [9443],
    };

    /// <summary>External Secrets operator (serves external-secrets.io/v1).</summary>
    public static HelmChart ExternalSecrets { get; } = new("external-secrets", "https://charts.external-secrets.io", "external-secrets", "0.20.4", "external-secrets-system", "external-secrets")
    {
        ProvidesApiGroups = ["external-secrets.io", "generators.external-secrets.io"],
        PodName = "external-secrets",
        WebhookPorts = [10250],
    };

    /// <summary>kube-prometheus-stack: Prometheus, Grafana, Alertmanager, node exporter, kube-state-metrics.</summary>
    public static HelmChart KubePrometheusStack { get; } = new("prometheus-community", "https://prometheus-community.github.io/helm-charts", "kube-prometheus-stack", "79.5.0", "monitoring", "kube-prometheus-stack")
    {
        ProvidesApiGroups = ["monitoring.coreos.com"],
        PodName = "prometheus",
        WebhookPorts = [10250],
        // Node exporter runs on the host network and reads host paths: its namespace must allow privileged pods.
        Parts = [new("alertmanager"), new("nodeExporter", PodSecurity: "privileged"), new("kubeStateMetrics")],
    };

    /// <summary>
    /// Weave GitOps dashboard (an OCI chart; runs beside Flux in flux-system). 4.0.36 (v0.38, Dec 2023) is the last
    /// release; it reads HelmReleases as helm.toolkit.fluxcd.io/v2beta1, which Flux 2.7 removed (weaveworks/weave-gitops#5223).
    /// </summary>
    public static HelmChart WeaveGitOps { get; } = new("weave-gitops", "oci://ghcr.io/weaveworks/charts", "weave-gitops", "4.0.36", "flux-system", "weave-gitops")
    {
        PodName = "weave-gitops",
        SupportedFlux = "Flux 2.5 and 2.6 only: its last release (0.38) reads HelmReleases as `helm.toolkit.fluxcd.io/v2beta1`, which Flux 2.7 removed (weaveworks/weave-gitops#5223); on newer Flux its HelmRelease views fail while the rest of the tree works",
    };
}
