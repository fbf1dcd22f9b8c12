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
    /// A release's timeout t and the timeout u of its remediation (the uninstall after a failed install, the rollback after
    /// a failed upgrade), u = t / 4: every attempt (retries + 1) and every remediation wait between them must fit in its
    /// wave's Kustomization timeout (the release-timeout lint), with a tenth of the wave to spare:
    /// t × (r + 1) + u × r ≤ 0.9 × wave. A remediation waits only for objects to go or roll back, not for a fresh install,
    /// so it gets the shorter budget and each attempt stays at 2 minutes or more in a 5-minute wave.
    /// </summary>
    public static (TimeSpan Attempt, TimeSpan Remediation) ReleaseTimeouts(TimeSpan waveTimeout)
    {
        var attempt = Math.Floor(waveTimeout.TotalSeconds * 0.9 / (RemediationRetries + 1 + RemediationRetries / 4.0));
        return (TimeSpan.FromSeconds(attempt), TimeSpan.FromSeconds(Math.Floor(attempt / 4)));
    }

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
        var (attempt, remediation) = ReleaseTimeouts(context.Waves[wave].Wave.Timeout);
        context.Add(component, file, Crd.Create("helm.toolkit.fluxcd.io/v2", "HelmRelease",
            new V1ObjectMeta { Name = chart.ReleaseName, NamespaceProperty = chart.Namespace, Labels = labels },
            new HelmReleaseSpec(
                "30m",
                chart.ReleaseName,
                new HelmReleaseChart(new HelmChartTemplateSpec(chart.Chart, chart.Version, new KindRef("HelmRepository", chart.Repository, FluxBuildContext.FluxNamespace), "1h")),
                new HelmReleaseInstall(chart.InstallCrds, new HelmRemediation(RemediationRetries)),
                new HelmReleaseUpgrade(chart.UpgradeCrds, new HelmRemediation(RemediationRetries)),
                FluxBuildContext.Duration(attempt),
                values,
                new HelmReleaseUninstall(FluxBuildContext.Duration(remediation)),
                new HelmReleaseRollback(FluxBuildContext.Duration(remediation))))).References.AddRange(release.References);
        foreach (var (member, value) in release.AfterRelease)
        {
            context.Add(member, FluxBuildContext.FileOf(member), value);
        }
    }

    /// <summary>The chart service that serves a component, when a chart (not a FleetInfra workload) runs it.</summary>
    public static ChartService? RoutedService(IResource resource) =>
        resource.TryGetLastAnnotation<HelmChartAnnotation>(out var chart) ? chart.Chart.ServiceOf?.Invoke(resource) : null;
}
