using FleetInfra.Hosting.Components.ClusterOnly;
using FleetInfra.Hosting.Graph;
using FleetInfra.Hosting.Waves;

namespace FleetInfra.Hosting.Documentation;

/// <summary>
/// The parts of an app model the documents are made of, in model (declaration) order so the documents
/// read like <c>Program.cs</c> and come out the same on every run.
/// </summary>
internal sealed class ModelView
{
    public ModelView(IEnumerable<IResource> resources)
    {
        var all = resources.ToList();
        Waves = all.OfType<WaveResource>().ToList();
        var components = FleetComponents.WithChildren(all).ToList();

        // Wave by wave, each member followed by its children (a server's databases). What is in no wave (parameters, the
        // Flux environment) is no component: it is neither deployed nor started with the fleet.
        Components = [.. Waves.SelectMany(w => w.Members).Where(components.Contains).SelectMany(m => components.Where(c => c == m || ParentOf(c) == m)).Distinct()];

        var known = Components.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var order = Components.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        Needs = FleetGraph.Edges(all)
            .Where(e => known.Contains(e.From) && known.Contains(e.To))
            .GroupBy(e => (e.From, e.To))
            .Select(g => new Need(Get(g.Key.From), Get(g.Key.To), [.. g.Select(e => e.Kind).Order()], Purpose(Get(g.Key.From), g.Key.To)))
            .OrderBy(n => order[n.From.Name]).ThenBy(n => order[n.To.Name])
            .ToList();
    }

    /// <summary>Waves in model order.</summary>
    public IReadOnlyList<WaveResource> Waves { get; }

    /// <summary>The components (<see cref="FleetComponents.WithChildren"/>), wave by wave.</summary>
    public IReadOnlyList<IResource> Components { get; }

    /// <summary>Service-level edges between components, one per pair.</summary>
    public IReadOnlyList<Need> Needs { get; }

    public IEnumerable<IResource> ComponentsIn(WaveResource wave) => Components.Where(c => c.GetWave() == wave);

    public IResource Get(string name) => Components.Single(c => c.Name == name);

    public static IResource? ParentOf(IResource resource) => resource is IResourceWithParent child ? child.Parent : null;

    public static bool IsClusterOnly(IResource resource) => resource is ClusterOnlyResource;

    /// <summary>The waves that depend on <paramref name="wave"/>.</summary>
    public IEnumerable<WaveResource> Downstream(WaveResource wave) => Waves.Where(w => w.DependsOn.Any(d => d.Wave == wave));

    private static string? Purpose(IResource from, string to) =>
        from.Annotations.OfType<DependencyPurposeAnnotation>().FirstOrDefault(p => p.Target.Name == to)?.Purpose;
}

/// <summary>What <paramref name="From"/> needs from <paramref name="To"/>, with every kind of edge between them.</summary>
internal sealed record Need(IResource From, IResource To, IReadOnlyList<EdgeKind> Kinds, string? Purpose)
{
    /// <summary>How the need shows locally, e.g. "waits until healthy, uses it".</summary>
    public string How => string.Join(", ", Kinds.Select(k => k switch
    {
        EdgeKind.WaitFor => "waits until healthy",
        EdgeKind.WaitForCompletion => "waits until it completed",
        EdgeKind.Reference => "uses its address and credentials",
        EdgeKind.Route => "is reached through it",
        _ => k.ToString(),
    }));
}
