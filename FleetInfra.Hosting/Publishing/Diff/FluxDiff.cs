namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>Compares what each cluster applies from a base tree with what it would apply from the current one.</summary>
internal static class FluxDiff
{
    /// <summary>The diff of one cluster: both trees rendered for it (<see cref="TreeRenderer"/>), objects matched by <see cref="ObjectKey"/>.</summary>
    public static ClusterDiff Cluster(string cluster, string baseName, IReadOnlyDictionary<string, string> baseFiles, IReadOnlyDictionary<string, string> currentFiles, WaveGraph graph,
        Dictionary<string, IReadOnlyList<object?>>? parsed = null)
    {
        parsed ??= new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
        var old = TreeRenderer.Render(baseFiles, cluster, parsed);
        var current = TreeRenderer.Render(currentFiles, cluster, parsed) ?? throw new InvalidOperationException($"The current tree has no cluster '{cluster}'.");
        var changes = new List<ObjectChange>();

        // The wave Kustomizations themselves (dependsOn, timeout, interval, health checks), then what each wave applies.
        Compare(Index(old?.Kustomizations.Values ?? []), Index(current.Kustomizations.Values), changes);
        Compare(Index(old?.Objects ?? []), Index(current.Objects), changes);
        changes = changes.OrderBy(c => graph.Order(c.Wave)).ThenBy(c => c.Wave, StringComparer.Ordinal).ThenBy(c => c.Kind)
            .ThenBy(c => c.Key.ToString(), StringComparer.Ordinal).ToList();

        var risks = changes.SelectMany(c => RiskRules.Of(c, current.Kustomizations.GetValueOrDefault(c.Wave) ?? old?.Kustomizations.GetValueOrDefault(c.Wave))).ToList();
        var reconciling = changes.Select(c => c.Wave).Distinct().OrderBy(graph.Order).ToList();
        return new ClusterDiff(cluster, baseName, changes, risks, reconciling, graph.Downstream(reconciling));
    }

    private static Dictionary<ObjectKey, ClusterObject> Index(IEnumerable<ClusterObject> objects)
    {
        var index = new Dictionary<ObjectKey, ClusterObject>();
        foreach (var o in objects)
        {
            index.TryAdd(o.Key, o); // kustomize refuses duplicates; the first wins here
        }

        return index;
    }

    private static void Compare(Dictionary<ObjectKey, ClusterObject> old, Dictionary<ObjectKey, ClusterObject> current, List<ObjectChange> changes)
    {
        foreach (var (key, o) in current)
        {
            if (!old.TryGetValue(key, out var before))
            {
                changes.Add(new ObjectChange(o.Wave, key, ChangeKind.Added, [], null, o));
                continue;
            }

            var fields = ObjectComparer.Compare(before.Value, o.Value);
            if (before.Wave != o.Wave)
            {
                fields.Insert(0, new FieldChange("(wave)", before.Wave, o.Wave));
            }

            if (fields.Count > 0)
            {
                changes.Add(new ObjectChange(o.Wave, key, ChangeKind.Changed, fields, before, o));
            }
        }

        foreach (var (key, o) in old.Where(o => !current.ContainsKey(o.Key)))
        {
            changes.Add(new ObjectChange(o.Wave, key, ChangeKind.Removed, [], o, null));
        }
    }
}
