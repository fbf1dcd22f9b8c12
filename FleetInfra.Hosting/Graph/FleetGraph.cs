using FleetInfra.Hosting.Waves;

namespace FleetInfra.Hosting.Graph;

/// <summary>The kind of an edge of the dependency graph.</summary>
public enum EdgeKind
{
    /// <summary><c>WaitFor</c>: starts after the target is healthy.</summary>
    WaitFor,

    /// <summary><c>WaitForCompletion</c>: starts after the target exited with code 0.</summary>
    WaitForCompletion,

    /// <summary>Uses the target's address or credentials (a hard dependency: cannot run without it).</summary>
    Reference,

    /// <summary>Reached through the target ingress.</summary>
    Route,

    /// <summary>A wave is ready only when the target member is.</summary>
    Member,
}

/// <summary>An edge <paramref name="From"/> → <paramref name="To"/>: From needs To.</summary>
public sealed record FleetEdge(string From, string To, EdgeKind Kind);

/// <summary>The dependency graph of a model, derived from its annotations - never declared twice.</summary>
public static class FleetGraph
{
    /// <summary>All edges between <paramref name="resources"/>, in a stable order.</summary>
    public static IReadOnlyList<FleetEdge> Edges(IEnumerable<IResource> resources)
    {
        var edges = new List<FleetEdge>();
        foreach (var resource in resources)
        {
            foreach (var annotation in resource.Annotations)
            {
                switch (annotation)
                {
                    case WaitAnnotation wait:
                        edges.Add(new(resource.Name, wait.Resource.Name, wait.WaitType == WaitType.WaitForCompletion ? EdgeKind.WaitForCompletion : EdgeKind.WaitFor));
                        break;
                    case ResourceRelationshipAnnotation { Type: "Reference" } reference:
                        edges.Add(new(resource.Name, reference.Resource.Name, EdgeKind.Reference));
                        break;
                    case ResourceRelationshipAnnotation { Type: "Route" } route:
                        edges.Add(new(resource.Name, route.Resource.Name, EdgeKind.Route));
                        break;
                }
            }

            if (resource is WaveResource wave)
            {
                edges.AddRange(wave.Members.Select(m => new FleetEdge(wave.Name, m.Name, EdgeKind.Member)));
            }
        }

        return edges.Distinct().ToList();
    }

    /// <summary>Finds a cycle among the ordering edges (waits and wave membership); null when there is none.</summary>
    public static IReadOnlyList<string>? FindCycle(IEnumerable<FleetEdge> edges)
    {
        var ordering = edges
            .Where(e => e.Kind is EdgeKind.WaitFor or EdgeKind.WaitForCompletion or EdgeKind.Member)
            .GroupBy(e => e.From)
            .ToDictionary(g => g.Key, g => g.Select(e => e.To).Distinct().ToList());

        var state = new Dictionary<string, bool>(); // false: on the current path, true: done
        var path = new List<string>();

        foreach (var start in ordering.Keys.Order(StringComparer.Ordinal))
        {
            if (Visit(start) is { } cycle)
            {
                return cycle;
            }
        }

        return null;

        List<string>? Visit(string node)
        {
            if (state.TryGetValue(node, out var done))
            {
                return done ? null : [.. path.SkipWhile(n => n != node), node];
            }

            state[node] = false;
            path.Add(node);
            foreach (var next in ordering.GetValueOrDefault(node) ?? [])
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = true;
            return null;
        }
    }
}
