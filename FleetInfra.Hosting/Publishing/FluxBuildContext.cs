using System.Globalization;
using FleetInfra.Hosting.Components.ClusterOnly;
using FleetInfra.Hosting.Publishing.Lint;
using FleetInfra.Hosting.Publishing.Manifests;
using FleetInfra.Hosting.Waves;
using k8s;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing;

/// <summary>What component writers need while one cluster overlay is built: placement, names, images, secrets.</summary>
internal sealed class FluxBuildContext
{
    public const string FluxNamespace = "flux-system";
    public const string PartOf = "fleet-infra";

    /// <summary>The service-account annotation EKS reads for IAM roles for service accounts (IRSA).</summary>
    public const string IrsaRoleAnnotation = "eks.amazonaws.com/role-arn";

    public const string SecretStoreName = "fleet-infra-secrets";

    /// <summary>Namespaces that exist before any wave: Kubernetes' own and Flux's.</summary>
    public static readonly IReadOnlySet<string> PreexistingNamespaces = new HashSet<string>(StringComparer.Ordinal) { "default", "kube-system", "kube-public", FluxNamespace };

    private readonly Dictionary<(string Namespace, string Parameter), List<(IResource Consumer, string Wave)>> _secretDemands = [];

    /// <summary>The credentials the model's cluster services generate (looked up per secret variable: found once).</summary>
    private readonly List<ClusterCredentials> _credentials;

    /// <summary>The model's resources by name (the first of a name, as a scan would find it).</summary>
    private readonly Dictionary<string, IResource> _resources = new(StringComparer.Ordinal);

    public FluxBuildContext(DistributedApplicationModel model, FluxEnvironmentResource environment, FluxCluster cluster,
        DistributedApplicationExecutionContext executionContext, IReadOnlyDictionary<string, FluxWave> waves, CancellationToken cancellationToken)
    {
        Model = model;
        Environment = environment;
        Cluster = cluster;
        ExecutionContext = executionContext;
        Waves = waves;
        CancellationToken = cancellationToken;
        ConfigWave = FluxPublisher.Components(model).FirstOrDefault(r => r.HasAnnotationOfType<ClusterConfigurationAnnotation>())?.GetWave()?.Name;
        SecretSources = model.Resources.Select(r => r.Annotations.OfType<SecretSourceAnnotation>().LastOrDefault()).OfType<SecretSourceAnnotation>().ToList();
        Ingresses = model.Resources.Select(r => (Resource: r, Ingress: r.Annotations.OfType<ClusterIngressAnnotation>().LastOrDefault()))
            .Where(i => i.Ingress is not null).Select(i => (i.Resource, i.Ingress!)).ToList();
        _credentials = model.Resources.Select(r => ClusterService(r)?.Credentials).OfType<ClusterCredentials>().ToList();
        foreach (var resource in model.Resources)
        {
            _resources.TryAdd(resource.Name, resource);
        }
    }

    /// <summary>The model's resource named <paramref name="name"/>, if any.</summary>
    public IResource? Resource(string name) => _resources.GetValueOrDefault(name);

    public DistributedApplicationModel Model { get; }

    public FluxEnvironmentResource Environment { get; }

    public FluxCluster Cluster { get; }

    public DistributedApplicationExecutionContext ExecutionContext { get; }

    public IReadOnlyDictionary<string, FluxWave> Waves { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>The wave of the cluster configuration; namespaces of the waves after it are created there.</summary>
    public string? ConfigWave { get; }

    /// <summary>The components that provide parameters as Secrets Manager secrets.</summary>
    public IReadOnlyList<SecretSourceAnnotation> SecretSources { get; }

    /// <summary>The components that are the cluster's ingress (<see cref="ClusterIngressAnnotation"/>).</summary>
    public IReadOnlyList<(IResource Resource, ClusterIngressAnnotation Ingress)> Ingresses { get; }

    /// <summary>True when an ingress of the cluster routes <paramref name="component"/>.</summary>
    public bool IsRouted(IResource component) => Ingresses.Any(i => i.Ingress.RouteEndpoint(component) is not null);

    public List<FluxObject> Objects { get; } = [];

    public string WaveOf(IResource component) =>
        component.GetWave()?.Name ?? throw new InvalidOperationException($"'{component.Name}' is not in a wave.");

    /// <summary>True when the component's wave depends (directly or not) on the cluster configuration's wave.</summary>
    public bool AfterConfig(IResource component) =>
        ConfigWave is not null && Waves[WaveOf(component)].Upstream.Contains(ConfigWave);

    /// <summary>The namespace the component would have without a <see cref="KubernetesNamespaceAnnotation"/>.</summary>
    public string DefaultNamespace(IResource component) =>
        component.TryGetLastAnnotation<HelmChartAnnotation>(out var chart) ? chart.Chart.Namespace
        : component.HasAnnotationOfType<ClusterConfigurationAnnotation>() ? FluxNamespace
        : AfterConfig(component) ? Environment.WorkloadNamespace
        : component.Name;

    public string NamespaceOf(IResource component) =>
        component is IResourceWithParent { Parent: var parent } && !component.HasAnnotationOfType<WaveMembershipAnnotation>() ? NamespaceOf(parent)
        : component.TryGetLastAnnotation<KubernetesNamespaceAnnotation>(out var placed) ? placed.Namespace
        : DefaultNamespace(component);

    /// <summary>The DNS name of a component's service as seen from <paramref name="fromNamespace"/>.</summary>
    public string ServiceHost(IResource target, string fromNamespace)
    {
        var service = ServiceName(ServiceOwner(target));
        var ns = NamespaceOf(target);
        return ns == fromNamespace ? service : $"{service}.{ns}.svc.cluster.local";
    }

    /// <summary>The Kubernetes service of a component: the one its cluster form names (<see cref="ClusterServiceAnnotation"/>), else its own name.</summary>
    public static string ServiceName(IResource target) => ClusterService(target)?.ServiceName ?? target.Name;

    /// <summary>The component's cluster service declaration, if its cluster form makes the service.</summary>
    public static ClusterServiceAnnotation? ClusterService(IResource target) => target.Annotations.OfType<ClusterServiceAnnotation>().LastOrDefault();

    /// <summary>The component whose service serves <paramref name="target"/>: the parent's for a child of a declared service (a database).</summary>
    public static IResource ServiceOwner(IResource target) =>
        ClusterService(target) is null && target is IResourceWithParent { Parent: var parent } && ClusterService(parent) is not null ? parent : target;

    public static Dictionary<string, string> SelectorLabels(IResource component) => new()
    {
        ["app.kubernetes.io/name"] = component.Name,
        ["app.kubernetes.io/part-of"] = PartOf,
    };

    public Dictionary<string, string> Labels(IResource component) => Labels(component.Name, WaveOf(component));

    public static Dictionary<string, string> Labels(string name, string wave) => new()
    {
        ["app.kubernetes.io/name"] = name,
        ["app.kubernetes.io/part-of"] = PartOf,
        ["app.kubernetes.io/component"] = wave,
    };

    public V1ObjectMeta Meta(IResource component, string name, string? ns = null) => new()
    {
        Name = name,
        NamespaceProperty = ns ?? NamespaceOf(component),
        Labels = Labels(component),
    };

    /// <summary>The image of a container from its <see cref="ContainerImageAnnotation"/>, so image overrides apply here too.</summary>
    public static (string Registry, string Repository, string Tag) ImageParts(IResource resource)
    {
        var image = resource.Annotations.OfType<ContainerImageAnnotation>().LastOrDefault()
            ?? throw new InvalidOperationException($"'{resource.Name}' has no container image.");
        var tag = image.SHA256 is { } digest ? $"@sha256:{digest}" : image.Tag ?? "latest";
        return (image.Registry ?? "docker.io", image.Image, tag);
    }

    public static string ImageOf(IResource resource)
    {
        var (registry, repository, tag) = ImageParts(resource);
        return tag.StartsWith('@') ? $"{registry}/{repository}{tag}" : $"{registry}/{repository}:{tag}";
    }

    public FluxObject Add(IResource component, string file, IKubernetesObject<V1ObjectMeta> value, string? wave = null)
    {
        var item = new FluxObject(wave ?? WaveOf(component), component.Name, file, value);
        Objects.Add(item);
        return item;
    }

    public static string FileOf(IResource component) => $"{component.Name}.yaml";

    /// <summary>
    /// A secret parameter as the cluster sees it: the credentials a cluster service generates for it
    /// (<see cref="ClusterCredentials"/>), otherwise the Kubernetes secret an ExternalSecret makes from the Secrets Manager
    /// secret a secret source provides (<see cref="SecretSourceAnnotation"/>).
    /// </summary>
    public V1SecretKeySelector SecretFor(ParameterResource parameter, IResource consumer)
    {
        if (_credentials.FirstOrDefault(c => c.Password() == parameter) is { } credentials)
        {
            return new V1SecretKeySelector { Name = credentials.Secret, Key = "password" };
        }

        var ns = NamespaceOf(consumer);
        if (!_secretDemands.TryGetValue((ns, parameter.Name), out var consumers))
        {
            _secretDemands[(ns, parameter.Name)] = consumers = [];
        }

        consumers.Add((consumer, WaveOf(consumer)));
        return new V1SecretKeySelector { Name = parameter.Name, Key = "value" };
    }

    /// <summary>The Secrets Manager name of a parameter a secret source provides (the same name in AWS).</summary>
    public string? RemoteSecretName(ParameterResource parameter) =>
        SecretSources.Select(s => s.RemoteKey(parameter)).FirstOrDefault(key => key is not null);

    /// <summary>How the model would provide <paramref name="parameter"/> to the cluster (the fix of an error message).</summary>
    public string SecretSourceFix(ParameterResource parameter) =>
        SecretSources.Count > 0 ? SecretSources[0].Fix(parameter) : $"a secret source for parameter '{parameter.Name}' (a component with a SecretSourceAnnotation)";

    /// <summary>One ExternalSecret per namespace and parameter, in the most upstream wave that uses it.</summary>
    public void WriteExternalSecrets()
    {
        foreach (var ((ns, name), consumers) in _secretDemands.OrderBy(d => d.Key.Namespace, StringComparer.Ordinal).ThenBy(d => d.Key.Parameter, StringComparer.Ordinal))
        {
            var (consumer, wave) = consumers.OrderBy(c => Waves[c.Wave].Order).First();
            var parameter = Model.Resources.OfType<ParameterResource>().First(p => p.Name == name);
            var remote = RemoteSecretName(parameter);
            if (remote is null)
            {
                throw new FluxPublishException(
                    $"'{consumer.Name}' (wave '{wave}') needs parameter '{name}' in the cluster, but no secret source provides it. " +
                    $"Fix: seed it into Secrets Manager with {SecretSourceFix(parameter)} so an ExternalSecret can read it.");
            }

            var externalSecret = ExternalSecret(ns, name, Labels(consumer.Name, wave), [new ExternalSecretData("value", new ExternalSecretRemoteRef(remote))]);
            if (parameter.HasAnnotationOfType<EncryptionKeyAnnotation>())
            {
                externalSecret.Spec = externalSecret.Spec with { RefreshPolicy = EncryptionKeyRefreshRule.KeepFirstValue };
            }

            Add(consumer, FileOf(consumer), externalSecret, wave);
        }
    }

    public static CustomObject<ExternalSecretSpec> ExternalSecret(string ns, string name, Dictionary<string, string> labels,
        IReadOnlyList<ExternalSecretData> data, ExternalSecretTemplate? template = null) =>
        Crd.Create("external-secrets.io/v1", "ExternalSecret",
            new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
            new ExternalSecretSpec("1h", new ExternalSecretTarget(name, "Owner", template), new KindRef("ClusterSecretStore", SecretStoreName), data));

    public static string Duration(TimeSpan value) => Configuration.FleetInfraSettings.FormatDuration(value);

    public static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The port a component listens on for an endpoint in the cluster (services use the same number).</summary>
    public static int TargetPort(IResource resource, string endpoint) => Hosting.Components.ComponentExtensions.TargetPort(resource, endpoint);

    public static bool IsClusterOnly(IResource resource) => resource is ClusterOnlyResource;
}

/// <summary>The model cannot be published: the message names the component and the fix.</summary>
public sealed class FluxPublishException(string message) : DistributedApplicationException(message);
