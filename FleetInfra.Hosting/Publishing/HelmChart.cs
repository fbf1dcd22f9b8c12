using System.Collections.ObjectModel;
using FleetInfra.Hosting.Publishing.Workloads;
using FleetInfra.Hosting.Publishing.Manifests;
using k8s;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// A Helm chart a component is installed from in the cluster (a Flux HelmRepository + HelmRelease). Each chart is
/// defined in the folder of the component that uses it, with its values; the publisher finds the charts through the
/// components' <see cref="HelmChartAnnotation"/>s.
/// </summary>
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

    /// <summary>
    /// API versions of the chart's CRDs that current releases no longer serve, with their replacement (the publish lint's
    /// served-api rule).
    /// </summary>
    public IReadOnlyDictionary<string, string> RetiredApiVersions { get; init; } = ReadOnlyDictionary<string, string>.Empty;

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

    /// <summary>The newest Flux release the chart works with (<c>flux bootstrap --version</c>), where the newest Flux does not.</summary>
    public string? NewestFlux { get; init; }

    /// <summary>Parts of the chart a component switches on (<c>WithHelmChart(chart, part: …)</c>); the others are disabled.</summary>
    public IReadOnlyList<HelmChartPart> Parts { get; init; } = [];

    /// <summary>
    /// Custom resources of the chart's CRDs whose readiness kstatus cannot judge, with the CEL expressions that can; the
    /// Kustomization of a wave with such objects carries them.
    /// </summary>
    internal IReadOnlyList<HealthCheckExpression> HealthChecks { get; init; } = [];

    /// <summary>
    /// The release's values for the members of the model that use the chart (none: the chart's defaults). The callback may
    /// add the references the values make and objects written after the release (<see cref="HelmReleaseContext"/>).
    /// </summary>
    internal Func<HelmReleaseContext, IDictionary<string, object>>? Values { get; init; }

    /// <summary>The service the chart creates for a member, when routes and network policies reach that member through it.</summary>
    internal Func<IResource, ChartService?>? ServiceOf { get; init; }

    /// <summary>
    /// Objects the cluster configuration writes for the chart's operator (given the configuration component), e.g. the
    /// store a secrets operator reads from.
    /// </summary>
    internal Action<IResource, FluxBuildContext>? ClusterConfiguration { get; init; }

    /// <summary>The IAM role the chart's service account assumes on AWS, declared on each member (<c>WithHelmChart</c>).</summary>
    public ClusterIamRole? IamRole { get; init; }

    /// <summary>True when the repository is an OCI registry.</summary>
    public bool IsOci => RepositoryUrl.StartsWith("oci://", StringComparison.Ordinal);
}

/// <summary>An optional part of a chart, switched on by the component that stands for it.</summary>
/// <param name="ValuesKey">The part's values key; the release gets <c>&lt;key&gt;.enabled</c>.</param>
/// <param name="PodSecurity">The pod-security level its namespace needs (<c>privileged</c> for host access), if above baseline.</param>
public sealed record HelmChartPart(string ValuesKey, string? PodSecurity = null);

/// <summary>A service a chart creates for a component, and the pods behind it (for routes and network policies).</summary>
internal sealed record ChartService(string Namespace, string Service, int Port, string PodName, int PodPort);

/// <summary>What a chart's values callback gets: the release's members, the cluster overlay being built, and helpers.</summary>
internal sealed class HelmReleaseContext(HelmChart chart, IReadOnlyList<IResource> members, FluxBuildContext build)
{
    private readonly List<(IResource Component, IKubernetesObject<V1ObjectMeta> Value)> _afterRelease = [];

    /// <summary>The chart.</summary>
    public HelmChart Chart { get; } = chart;

    /// <summary>The components installed from the chart, in declaration order.</summary>
    public IReadOnlyList<IResource> Members { get; } = members;

    /// <summary>The build of the cluster overlay.</summary>
    public FluxBuildContext Build { get; } = build;

    /// <summary>The cluster overlay.</summary>
    public FluxCluster Cluster => Build.Cluster;

    /// <summary>Secrets and other objects the values name (checked by the publish lint).</summary>
    public List<FluxReference> References { get; } = [];

    /// <summary>Objects written after the release, in the file of their component.</summary>
    public IReadOnlyList<(IResource Component, IKubernetesObject<V1ObjectMeta> Value)> AfterRelease => _afterRelease;

    /// <summary>The first member of type <typeparamref name="T"/>, if the model has one.</summary>
    public T? Member<T>() where T : class, IResource => Members.OfType<T>().FirstOrDefault();

    /// <summary>True when a member switches <paramref name="part"/> on.</summary>
    public bool HasPart(HelmChartPart part) => Members.Any(m => m.Annotations.OfType<HelmChartAnnotation>().LastOrDefault()?.Part == part);

    /// <summary>Writes <paramref name="value"/> after the release, in the file of <paramref name="component"/>.</summary>
    public void AddAfterRelease(IResource component, IKubernetesObject<V1ObjectMeta> value) => _afterRelease.Add((component, value));

    /// <summary>The Secrets Manager name of <paramref name="password"/>; fails naming the member and the fix when nothing seeds it.</summary>
    public string RemoteSecret(IResource member, ParameterResource password, string what) =>
        Build.RemoteSecretName(password) ?? throw new FluxPublishException(
            $"'{member.Name}' (wave '{Build.WaveOf(member)}') needs {what} in the cluster, but no secret source provides it. " +
            $"Fix: seed it with {Build.SecretSourceFix(password)}.");

    /// <summary>Requests and limits as chart values.</summary>
    public static Dictionary<string, object> Resources(string cpu, string memory, string cpuLimit, string memoryLimit)
    {
        var r = ContainerSpecs.Resources(cpu, memory, cpuLimit, memoryLimit);
        return new()
        {
            ["requests"] = r.Requests.ToDictionary(q => q.Key, q => (object)q.Value.ToString()),
            ["limits"] = r.Limits.ToDictionary(q => q.Key, q => (object)q.Value.ToString()),
        };
    }

    /// <summary>The model's image of <paramref name="resource"/> as chart values (registry, repository, tag).</summary>
    public static Dictionary<string, object> Image(IResource resource)
    {
        var (registry, repository, tag) = FluxBuildContext.ImageParts(resource);
        return new() { ["registry"] = registry, ["repository"] = repository, ["tag"] = tag.TrimStart('@') };
    }
}
