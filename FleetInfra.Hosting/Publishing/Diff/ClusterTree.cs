namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>What one cluster applies from a published tree: its wave Kustomizations (cluster patches applied) and, per wave, the objects.</summary>
/// <param name="Cluster">The cluster's folder name under <c>clusters/</c>.</param>
/// <param name="Kustomizations">The wave Kustomizations by name, as the cluster's flux-system Kustomization applies them.</param>
/// <param name="Objects">Every object the wave Kustomizations apply (folder plus the cluster's Components).</param>
internal sealed record ClusterTree(string Cluster, IReadOnlyDictionary<string, ClusterObject> Kustomizations, IReadOnlyList<ClusterObject> Objects);
