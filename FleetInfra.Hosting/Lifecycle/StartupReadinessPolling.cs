using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FleetInfra.Hosting.Lifecycle;

/// <summary>
/// Makes a starting resource's readiness visible within <see cref="PollInterval"/> instead of Aspire's health-check
/// back-off. Aspire re-runs a failing check after 1, 2, 3, 4, then 5 s (<c>ResourceHealthCheckService</c>:
/// <c>NonHealthyHealthCheckStepInterval * Math.Min(5, nonHealthyReportCount)</c>), so a PostgreSQL that accepts
/// connections 3.2 s after its container runs is reported healthy at 6 s - and every wave boundary on the critical
/// path adds such a wait, because the next wave starts only on the reported health. While a check has not passed
/// since it last failed, each run of it polls the check every <see cref="PollInterval"/> for up to
/// <see cref="PollBudget"/> and returns the first healthy result (or the last one). A check whose previous result was
/// healthy runs once, so a member that turns unhealthy is reported at Aspire's own cadence (the wave's Degraded state).
/// </summary>
internal static class StartupReadinessPolling
{
    /// <summary>How often a not-yet-healthy check is re-run inside one run.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How long one run of a not-yet-healthy check keeps polling before it reports the result.</summary>
    public static readonly TimeSpan PollBudget = TimeSpan.FromSeconds(10);

    /// <summary>Wraps every health check that a resource of <paramref name="resources"/> refers to (run mode only).</summary>
    public static void Apply(IServiceCollection services, IEnumerable<IResource> resources) =>
        // PostConfigure runs when the health-check service first reads its options, after the model is complete.
        services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            var keys = resources.SelectMany(r => r.Annotations.OfType<HealthCheckAnnotation>()).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var registration in options.Registrations.Where(r => keys.Contains(r.Name)))
            {
                var inner = registration.Factory;
                var state = new PollState();
                registration.Factory = sp => new PollingHealthCheck(inner(sp), state);
            }
        });

    private sealed class PollState
    {
        public volatile bool LastHealthy;
    }

    private sealed class PollingHealthCheck(IHealthCheck inner, PollState state) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            // A registration's own timeout cancels the run (HealthCheckService): stay well inside it.
            var timeout = context.Registration.Timeout;
            var budget = timeout > TimeSpan.Zero && timeout < PollBudget * 2 ? timeout / 2 : PollBudget;
            var started = Stopwatch.GetTimestamp();
            while (true)
            {
                HealthCheckResult result;
                try
                {
                    result = await inner.CheckHealthAsync(context, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // What HealthCheckService would report for a throwing check, so polling goes on.
                    result = new HealthCheckResult(context.Registration.FailureStatus, ex.Message, ex);
                }

                var healthy = result.Status == HealthStatus.Healthy;
                if (healthy || state.LastHealthy || Stopwatch.GetElapsedTime(started) + PollInterval >= budget)
                {
                    state.LastHealthy = healthy;
                    return result;
                }

                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
