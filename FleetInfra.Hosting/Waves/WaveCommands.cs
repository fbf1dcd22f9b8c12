using Microsoft.Extensions.DependencyInjection;
using static FleetInfra.Hosting.Waves.WaveMonitor;

namespace FleetInfra.Hosting.Waves;

/// <summary>
/// The dashboard commands of a wave, the local counterparts of <c>flux reconcile kustomization</c>,
/// <c>flux suspend</c> and <c>flux resume</c>, plus the startup report. Resource commands as in Aspire 13.6
/// (<c>WithCommand</c> with <c>CommandOptions.UpdateState</c>, evaluated on every snapshot of the wave).
/// </summary>
public static class WaveCommands
{
    /// <summary>Runs the wave again: restarts failed or unhealthy members, waits for them under the timeout.</summary>
    public const string Reconcile = "fleetinfra-wave-reconcile";

    /// <summary>Suspends the wave: it starts nothing new and does not fail on its timeout.</summary>
    public const string Suspend = "fleetinfra-wave-suspend";

    /// <summary>Resumes a suspended wave and reconciles it.</summary>
    public const string Resume = "fleetinfra-wave-resume";

    /// <summary>Shows the startup report (per wave: members, ready after, timeout; critical path).</summary>
    public const string Report = "fleetinfra-startup-report";

    internal static IResourceBuilder<WaveResource> WithWaveCommands(this IResourceBuilder<WaveResource> wave)
    {
        var resource = wave.Resource;
        return wave
            .WithCommand(Reconcile, "Reconcile", context => RequestAsync(context, resource, WaveRequestKind.Reconcile), new CommandOptions
            {
                Description = "Run the wave again: restart its failed or unhealthy members, wait for them under the timeout, then let the downstream waves that failed because of it start (flux reconcile kustomization).",
                IconName = "ArrowSync",
                IsHighlighted = true,
                UpdateState = context => context.ResourceSnapshot.State?.Text switch
                {
                    var s when s == KnownResourceStates.FailedToStart || s == KnownResourceStates.Running || s == DegradedState => ResourceCommandState.Enabled,
                    _ => ResourceCommandState.Disabled, // waiting, reconciling, suspended (resume reconciles)
                },
            })
            .WithCommand(Suspend, "Suspend", context => RequestAsync(context, resource, WaveRequestKind.Suspend), new CommandOptions
            {
                Description = "Suspend the wave: it starts nothing new and does not fail on its timeout until resumed (flux suspend kustomization).",
                IconName = "Pause",
                UpdateState = context => context.ResourceSnapshot.State?.Text == SuspendedState ? ResourceCommandState.Hidden : ResourceCommandState.Enabled,
            })
            .WithCommand(Resume, "Resume", context => RequestAsync(context, resource, WaveRequestKind.Resume), new CommandOptions
            {
                Description = "Resume the suspended wave and reconcile it (flux resume kustomization).",
                IconName = "Play",
                IsHighlighted = true,
                UpdateState = context => context.ResourceSnapshot.State?.Text == SuspendedState ? ResourceCommandState.Enabled : ResourceCommandState.Hidden,
            })
            .WithCommand(Report, "Startup report", context =>
            {
                var coordinator = context.Services.GetRequiredService<WaveCoordinator>();
                var report = coordinator.StartupReport is { } settled
                    ? $"{settled}\nThe same, as it stands now (times since the start, not start durations):\n\n{coordinator.CurrentReport()}\nFile: {coordinator.ReportPath}\n"
                    : $"{coordinator.CurrentReport()}\nNot every wave has settled yet; the report is written to {coordinator.ReportPath} once they have.\n";
                return Task.FromResult(CommandResults.Success("Startup report", report, CommandResultFormat.Markdown, displayImmediately: true));
            }, new CommandOptions
            {
                Description = "Per wave: members, ready after, timeout; the observed critical path against the model's (verify-startup).",
                IconName = "DocumentText",
            });
    }

    private static Task<ExecuteCommandResult> RequestAsync(ExecuteCommandContext context, WaveResource wave, WaveRequestKind kind)
    {
        if (context.Services.GetRequiredService<WaveCoordinator>().Get(wave) is not { } controller)
        {
            return Task.FromResult(CommandResults.Failure($"Wave '{wave.Name}' is not initialised yet."));
        }

        controller.Request(kind, "requested from the dashboard or API");
        return Task.FromResult(CommandResults.Success(kind switch
        {
            WaveRequestKind.Reconcile => $"Reconciling wave '{wave.Name}'.",
            WaveRequestKind.Suspend => $"Wave '{wave.Name}' suspended.",
            _ => $"Wave '{wave.Name}' resumed.",
        }));
    }
}
