using FleetInfra.Hosting.Publishing.Manifests;
using FleetInfra.Hosting.Waves;
using k8s;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// Everything <c>aspire publish</c> writes, before it is serialized: one object set per cluster overlay, and the charts of
/// the model's components (in declaration order).
/// </summary>
internal sealed record FluxTree(
    FluxEnvironmentResource Environment,
    IReadOnlyList<FluxWave> Waves,
    IReadOnlyList<FluxBuild> Builds,
    Graph.DependencyGraphDocument Graph,
    IReadOnlyList<HelmChart> Charts)
{
    /// <summary>The health check expressions of the model's charts (custom resources kstatus cannot judge).</summary>
    public IReadOnlyList<HealthCheckExpression> HealthCheckExpressions => Charts.SelectMany(c => c.HealthChecks).ToList();
}

/// <summary>A wave with its position (declaration order) and every wave it depends on, directly or not.</summary>
internal sealed record FluxWave(WaveResource Wave, int Order, IReadOnlySet<string> Upstream)
{
    public string Name => Wave.Name;

    /// <summary>True when objects of <paramref name="other"/> exist before this wave is applied.</summary>
    public bool SeesWave(string other) => other == Name || Upstream.Contains(other);
}

/// <summary>A cluster overlay with its parameters resolved; <paramref name="IamRoleArns"/> by parameter name.</summary>
internal sealed record FluxCluster(
    string Name,
    string Branch,
    TimeSpan Interval,
    bool EmulatesAws,
    string AwsRegion,
    string S3Endpoint,
    string SecretsManagerEndpoint,
    bool Strict,
    string Domain,
    IReadOnlyDictionary<string, string>? IamRoleArns = null,
    bool Tls = false)
{
    /// <summary>The ARN of the IAM role <paramref name="component"/>'s service account assumes here (IRSA), if it declares one and the overlay uses roles.</summary>
    public string? RoleArn(IResource component) =>
        component.Annotations.OfType<ClusterIamRoleAnnotation>().LastOrDefault() is { } role && IamRoleArns?.GetValueOrDefault(role.RoleArn.Name) is { } arn ? arn : null;
}

/// <summary>The objects of one cluster overlay, and the charts of the model's components they were built from.</summary>
internal sealed class FluxBuild(FluxCluster cluster, IReadOnlyList<HelmChart> charts)
{
    public FluxCluster Cluster { get; } = cluster;

    public IReadOnlyList<HelmChart> Charts { get; } = charts;

    public List<FluxObject> Objects { get; } = [];
}

/// <summary>An object, where it is written (wave folder and file), and who it is for.</summary>
internal sealed class FluxObject(string wave, string component, string file, IKubernetesObject<V1ObjectMeta> value)
{
    public string Wave { get; set; } = wave;

    public string Component { get; } = component;

    public string File { get; set; } = file;

    public IKubernetesObject<V1ObjectMeta> Value { get; } = value;

    /// <summary>Secrets, ConfigMaps, ServiceAccounts the object needs that the lint cannot see in a pod spec.</summary>
    public List<FluxReference> References { get; } = [];

    /// <summary>
    /// Secrets, ConfigMaps, ServiceAccounts an operator creates from the object (e.g. generated credentials), which the
    /// lint counts as existing from the object's wave on; the field says what makes them.
    /// </summary>
    public List<FluxReference> Produces { get; } = [];

    public string Describe() =>
        $"{Value.Kind} {(Value.Metadata.NamespaceProperty is { } ns ? ns + "/" : "")}{Value.Metadata.Name}";
}

/// <summary>A named object another object needs.</summary>
internal sealed record FluxReference(string Kind, string Namespace, string Name, string Field);
