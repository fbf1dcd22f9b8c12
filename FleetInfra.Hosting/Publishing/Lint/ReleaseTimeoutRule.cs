using FleetInfra.Hosting.Publishing.Manifests;

namespace FleetInfra.Hosting.Publishing.Lint;

/// <summary>
/// release-timeout: helm-controller retries a failed install or upgrade up to `retries` times, each attempt up to
/// `timeout` (fluxcd/helm-controller docs/spec/v2/helmreleases.md, "Configuring failure handling"), and before each retry
/// it remediates: an install by an uninstall, an upgrade by a rollback, each waiting up to `uninstall.timeout` /
/// `rollback.timeout` (default: `timeout`) unless `disableWait` (helm-controller v1.4.3 internal/action/uninstall.go and
/// rollback.go; timeoutForAction in internal/reconcile). The worst case is t × (r + 1) + r × remediation wait, i.e.
/// t × (2r + 1) with the defaults. If it does not fit in the wave's Kustomization timeout, the wave fails while the release
/// is still retrying.
/// </summary>
internal sealed class ReleaseTimeoutRule : IFluxLintRule
{
    public string Name => "release-timeout";

    public void Check(FluxLintContext context, FluxObject o)
    {
        if (o.Value is not CustomObject<HelmReleaseSpec> { Spec: var release }
            || !Configuration.FleetInfraSettings.TryParseDuration(release.Timeout, out var t))
        {
            return;
        }

        var wave = context.WaveOf(o);
        var uninstall = RemediationWait(release.Uninstall?.Timeout, release.Uninstall?.DisableWait, t);
        var rollback = RemediationWait(release.Rollback?.Timeout, release.Rollback?.DisableWait, t);
        var install = Worst(release.Install.Remediation.Retries, t, uninstall);
        var upgrade = Worst(release.Upgrade.Remediation.Retries, t, rollback);
        var (what, retries, wait, worstCase) = install >= upgrade
            ? ("install", release.Install.Remediation.Retries, uninstall, install)
            : ("upgrade", release.Upgrade.Remediation.Retries, rollback, upgrade);
        if (worstCase > wave.Wave.Timeout)
        {
            var remediation = what == "install" ? "uninstall" : "rollback";
            var fits = TimeSpan.FromSeconds(Math.Floor(wave.Wave.Timeout.TotalSeconds / (2 * retries + 1)));
            context.Report(o, $"{what}: timeout {release.Timeout} × (remediation retries {retries} + 1) + {retries} × {remediation} wait {FluxBuildContext.Duration(wait)} = {FluxBuildContext.Duration(worstCase)} exceeds the timeout {FluxBuildContext.Duration(wave.Wave.Timeout)} of wave '{o.Wave}', which then fails while the release is still retrying",
                $"keep every attempt and every remediation wait within the wave's timeout: a release timeout of at most {FluxBuildContext.Duration(fits)} (t × (2r + 1)), a shorter {remediation}.timeout, fewer retries, or a longer wave timeout");
        }
    }

    private static TimeSpan RemediationWait(string? timeout, bool? disableWait, TimeSpan releaseTimeout) =>
        disableWait == true ? TimeSpan.Zero
        : timeout is not null && Configuration.FleetInfraSettings.TryParseDuration(timeout, out var own) ? own
        : releaseTimeout;

    private static TimeSpan Worst(int retries, TimeSpan attempt, TimeSpan remediation) => attempt * (retries + 1) + remediation * retries;
}
