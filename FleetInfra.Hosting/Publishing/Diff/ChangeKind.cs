namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>What happens to an object.</summary>
internal enum ChangeKind
{
    Added,
    Removed,
    Changed,
}
