namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>When the diff step fails (exit code 1): <c>FleetInfra:Diff:FailOn</c>.</summary>
internal enum DiffFailOn
{
    /// <summary>Unset: the diff only reports (exit code 0).</summary>
    Never,

    /// <summary><c>risk</c>: any risk.</summary>
    Risk,

    /// <summary><c>change</c>: any difference.</summary>
    Change,
}
