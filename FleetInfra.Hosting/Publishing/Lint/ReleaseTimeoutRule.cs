using FleetInfra.Hosting.Publishing.Manifests;

namespace FleetInfra.Hosting.Publishing.Lint;

/// <summary>
/// release-timeout: helm-controller uninstalls and retries a failed install up to `retries` times, each attempt up to
/// `timeout` (fluxcd/helm-controller docs/spec/v2/helmreleases.md, "Configuring failure handling"). If all attempts do
/// not fit in the wave's Kustomization timeout, the wave fails while the release is still retrying.
/// </summary>
internal sealed class ReleaseTimeoutRule : IFluxLintRule
{
    public string Name => "release-timeout";

    public void Check(FluxLintContext context, FluxObject o)
    {
        if (o.Value is not CustomObject<HelmReleaseSpec> { Spec: var release }
            || !Configuration.FleetInfraSettings.TryParseDuration(release.Timeout, out var releaseTimeout))
        {
            return;
        }

        var wave = context.WaveOf(o);
        var retries = Math.Max(release.Install.Remediation.Retries, release.Upgrade.Remediation.Retries);
        var worstCase = releaseTimeout * (retries + 1);
        if (worstCase > wave.Wave.Timeout)
        {
            var fits = TimeSpan.FromSeconds(Math.Floor(wave.Wave.Timeout.TotalSeconds / (retries + 1)));
            context.Report(o, $"timeout {release.Timeout} × (remediation retries {retries} + 1) = {FluxBuildContext.Duration(worstCase)} exceeds the timeout {FluxBuildContext.Duration(wave.Wave.Timeout)} of wave '{o.Wave}', which then fails while the release is still retrying",
                $"keep timeout × (retries + 1) within the wave's timeout: a release timeout of at most {FluxBuildContext.Duration(fits)}, fewer retries, or a longer wave timeout");
        }
    }
}
