using FleetInfra.Hosting.Publishing.Manifests;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing.Workloads;

/// <summary>
/// Components installed from Helm charts: a HelmRepository (in flux-system) and one HelmRelease per chart, written by the
/// first component of the chart. The values are the chart's own (<see cref="HelmChart.Values"/>, defined with the chart in
/// its component's folder); this writer knows no chart.
/// </summary>
internal static class HelmReleaseWriter
{
    /// <summary>Remediations (uninstall or rollback, then a new attempt) after a failed install or upgrade.</summary>
    public const int RemediationRetries = 1;

    /// <summary>
    /// A release's timeout: every attempt (retries + 1) must fit in its wave's Kustomization timeout (the release-timeout
    /// lint), with a tenth of the wave kept for the uninstall between attempts.
    /// </summary>
    public static TimeSpan ReleaseTimeout(TimeSpan waveTimeout) =>
        TimeSpan.FromSeconds(Math.Floor(waveTimeout.TotalSeconds * 0.9 / (RemediationRetries + 1)));

    /// <summary>The charts of the model's components, in declaration order.</summary>
    public static IReadOnlyList<HelmChart> Charts(IEnumerable<IResource> components) =>
        components.Select(c => c.Annotations.OfType<HelmChartAnnotation>().LastOrDefault()?.Chart).OfType<HelmChart>().Distinct().ToList();

    public static void Write(IResource component, FluxBuildContext context)
    {
        var chart = component.Annotations.OfType<HelmChartAnnotation>().Last().Chart;
        var members = FluxPublisher.Components(context.Model).Where(r => r.TryGetLastAnnotation<HelmChartAnnotation>(out var c) && c.Chart == chart).ToList();
        if (members[0] != component)
        {
            return; // the chart's first component writes the release for all of them
        }

        var file = FluxBuildContext.FileOf(component);
        var wave = context.WaveOf(component);
        var labels = context.Labels(component);
        context.Add(component, file, Crd.Create("source.toolkit.fluxcd.io/v1", "HelmRepository",
            new V1ObjectMeta { Name = chart.Repository, NamespaceProperty = FluxBuildContext.FluxNamespace, Labels = labels },
            new HelmRepositorySpec("1h", chart.RepositoryUrl, chart.IsOci ? "oci" : null)));

        // A chart without values is installed with its defaults.
        var release = new HelmReleaseContext(chart, members, context);
        var values = chart.Values?.Invoke(release) ?? new Dictionary<string, object>();
        context.Add(component, file, Crd.Create("helm.toolkit.fluxcd.io/v2", "HelmRelease",
            new V1ObjectMeta { Name = chart.ReleaseName, NamespaceProperty = chart.Namespace, Labels = labels },
            new HelmReleaseSpec(
                "30m",
                chart.ReleaseName,
                new HelmReleaseChart(new HelmChartTemplateSpec(chart.Chart, chart.Version, new KindRef("HelmRepository", chart.Repository, FluxBuildContext.FluxNamespace), "1h")),
                new HelmReleaseInstall(chart.InstallCrds, new HelmRemediation(RemediationRetries)),
                new HelmReleaseUpgrade(chart.UpgradeCrds, new HelmRemediation(RemediationRetries)),
                FluxBuildContext.Duration(ReleaseTimeout(context.Waves[wave].Wave.Timeout)),
                values))).References.AddRange(release.References);
        foreach (var (member, value) in release.AfterRelease)
        {
            context.Add(member, FluxBuildContext.FileOf(member), value);
        }
    }

    /// <summary>The chart service that serves a component, when a chart (not a FleetInfra workload) runs it.</summary>
    public static ChartService? RoutedService(IResource resource) =>
        resource.TryGetLastAnnotation<HelmChartAnnotation>(out var chart) ? chart.Chart.ServiceOf?.Invoke(resource) : null;
}
