namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>An object of a cluster that the change adds, removes or changes, with the fields that differ.</summary>
internal sealed record ObjectChange(string Wave, ObjectKey Key, ChangeKind Kind, IReadOnlyList<FieldChange> Fields, ClusterObject? Old, ClusterObject? New)
{
    /// <summary>True when a field at or under <paramref name="prefix"/> changed.</summary>
    public bool Touches(string prefix) => Fields.Any(f => f.Under(prefix));

    /// <summary>The version, or the other side where one is missing.</summary>
    public ClusterObject Current => New ?? Old!;
}
