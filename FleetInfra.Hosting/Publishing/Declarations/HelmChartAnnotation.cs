namespace FleetInfra.Hosting.Publishing;

/// <summary>In the cluster, the component is installed from <paramref name="Chart"/>; components sharing a chart share one release.</summary>
/// <param name="Chart">The chart.</param>
/// <param name="Part">The part of the chart the component switches on (one of <see cref="HelmChart.Parts"/>), if any.</param>
public sealed record HelmChartAnnotation(HelmChart Chart, HelmChartPart? Part = null) : IResourceAnnotation;
