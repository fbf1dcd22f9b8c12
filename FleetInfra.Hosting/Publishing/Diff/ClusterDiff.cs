namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>What a change does to one cluster.</summary>
/// <param name="Cluster">The cluster.</param>
/// <param name="Base">Where its base tree came from.</param>
/// <param name="Changes">Objects added, removed and changed, wave by wave (the model's wave order).</param>
/// <param name="Risks">What the changes put at risk.</param>
/// <param name="Reconciling">The wave Kustomizations that apply something new.</param>
/// <param name="Downstream">The waves that depend on those (directly or not) and wait for them again.</param>
internal sealed record ClusterDiff(string Cluster, string Base, IReadOnlyList<ObjectChange> Changes, IReadOnlyList<DiffRisk> Risks,
    IReadOnlyList<string> Reconciling, IReadOnlyList<string> Downstream);
