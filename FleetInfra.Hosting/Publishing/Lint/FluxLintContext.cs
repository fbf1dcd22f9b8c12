using FleetInfra.Hosting.Publishing.Manifests;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing.Lint;

/// <summary>
/// What the lint's rules see of one cluster overlay: its objects and waves, what exists after which wave (namespaces,
/// API groups, secret stores, producers of Secrets, ConfigMaps and ServiceAccounts), and the problems found so far.
/// </summary>
internal sealed class FluxLintContext
{
    private readonly IReadOnlyDictionary<string, FluxWave> _waves;
    private readonly List<string> _problems = [];

    // Lookups the rules make per object, built once: checking an overlay costs per object, not per pair of objects.
    private readonly Dictionary<(string Kind, string? Namespace, string Name), FluxLintProducer> _producers = [];
    private readonly Dictionary<(string Kind, string? Namespace, string Name), FluxObject> _byKindAndName = [];
    private readonly Dictionary<string, List<IDictionary<string, string>>> _podLabels = new(StringComparer.Ordinal);

    public FluxLintContext(FluxBuild build, IReadOnlyDictionary<string, FluxWave> waves)
    {
        Build = build;
        _waves = waves;
        var objects = build.Objects;
        Namespaces = objects.Where(o => o.Value.Kind == "Namespace").GroupBy(o => o.Value.Metadata.Name).ToDictionary(g => g.Key, g => g.First());
        ApiGroups = objects
            .Where(o => o.Value is CustomObject<HelmReleaseSpec>)
            .SelectMany(o => ChartOf(build, o)?.ProvidesApiGroups.Select(g => (Group: g, Object: o)) ?? [])
            .ToList();
        Stores = objects.Where(o => o.Value.Kind is "ClusterSecretStore" or "SecretStore").ToList();
        Producers = ProducersOf(objects).ToList();
        foreach (var producer in Producers)
        {
            _producers.TryAdd((producer.Kind, producer.Namespace, producer.Name), producer);
        }

        foreach (var o in objects)
        {
            var key = (o.Value.Kind, o.Value.Metadata.NamespaceProperty, o.Value.Metadata.Name);
            _byKindAndName.TryAdd(key, o);
            if (FluxLint.PodLabelsOf(o.Value) is { } labels)
            {
                (_podLabels.TryGetValue(key.NamespaceProperty ?? "", out var list) ? list : _podLabels[key.NamespaceProperty ?? ""] = []).Add(labels);
            }
        }
    }

    /// <summary>The cluster overlay and the model's charts.</summary>
    public FluxBuild Build { get; }

    /// <summary>The overlay's objects.</summary>
    public IReadOnlyList<FluxObject> Objects => Build.Objects;

    /// <summary>The namespaces the overlay creates, by name.</summary>
    public IReadOnlyDictionary<string, FluxObject> Namespaces { get; }

    /// <summary>The API groups whose CRDs a HelmRelease installs.</summary>
    public IReadOnlyList<(string Group, FluxObject Object)> ApiGroups { get; }

    /// <summary>The secret stores.</summary>
    public IReadOnlyList<FluxObject> Stores { get; }

    /// <summary>Secrets, ConfigMaps and ServiceAccounts the objects create (directly, through ESO, or through an operator).</summary>
    public IReadOnlyList<FluxLintProducer> Producers { get; }

    /// <summary>The first producer of the <paramref name="kind"/> named <paramref name="name"/> in <paramref name="ns"/>, if any.</summary>
    public FluxLintProducer? Producer(string kind, string? ns, string name) => _producers.GetValueOrDefault((kind, ns, name));

    /// <summary>The first object of <paramref name="kind"/> named <paramref name="name"/> in <paramref name="ns"/>, if any.</summary>
    public FluxObject? Find(string kind, string? ns, string name) => _byKindAndName.GetValueOrDefault((kind, ns, name));

    /// <summary>The pod template labels of the workloads in namespace <paramref name="ns"/>.</summary>
    public IReadOnlyList<IDictionary<string, string>> PodLabelsIn(string? ns) => _podLabels.GetValueOrDefault(ns ?? "") ?? [];

    /// <summary>One line per problem, in the order found.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>The wave <paramref name="o"/> is written to.</summary>
    public FluxWave WaveOf(FluxObject o) => _waves[o.Wave];

    /// <summary>Records a problem of <paramref name="o"/> with its fix.</summary>
    public void Report(FluxObject o, string problem, string fix) =>
        _problems.Add($"{o.Describe()} (wave '{o.Wave}', component '{o.Component}', cluster '{Build.Cluster.Name}'): {problem}. Fix: {fix}.");

    private static HelmChart? ChartOf(FluxBuild build, FluxObject release)
    {
        var spec = ((CustomObject<HelmReleaseSpec>)release.Value).Spec.Chart.Spec;
        return build.Charts
            .FirstOrDefault(c => c.Chart == spec.Chart && c.ReleaseName == release.Value.Metadata.Name);
    }

    private static IEnumerable<FluxLintProducer> ProducersOf(IEnumerable<FluxObject> objects)
    {
        foreach (var o in objects)
        {
            var ns = o.Value.Metadata.NamespaceProperty;
            switch (o.Value)
            {
                case V1ConfigMap:
                    yield return new("ConfigMap", ns, o.Value.Metadata.Name, o);
                    break;
                case V1ServiceAccount:
                    yield return new("ServiceAccount", ns, o.Value.Metadata.Name, o);
                    break;
                case CustomObject<ExternalSecretSpec> externalSecret:
                    yield return new("Secret", ns, externalSecret.Spec.Target.Name, o);
                    break;
            }

            // What an operator makes of the object (e.g. generated credentials), as its writer declared.
            foreach (var product in o.Produces)
            {
                yield return new(product.Kind, product.Namespace, product.Name, o);
            }
        }
    }
}

/// <summary>An object that creates a named Secret, ConfigMap or ServiceAccount in the cluster.</summary>
internal sealed record FluxLintProducer(string Kind, string? Namespace, string Name, FluxObject Object);
