namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// The component scrapes metrics of others in the cluster: network policies admit its pods on each target's port (a
/// chart's pods by a policy of their own, since the chart, not FleetInfra, runs them).
/// </summary>
/// <param name="Targets">What it scrapes in the cluster overlay being built.</param>
internal sealed record ClusterScraperAnnotation(Func<FluxBuildContext, IEnumerable<ScrapeTarget>> Targets) : IResourceAnnotation;
