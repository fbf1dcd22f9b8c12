using Microsoft.Extensions.Logging;
using static FleetInfra.Hosting.Waves.WaveMonitor;

namespace FleetInfra.Hosting.Waves;

/// <summary>
/// Restarts members that failed (start) or run unhealthy (restart) through their own lifecycle commands, as the
/// dashboard's Start/Restart buttons do (Aspire adds "resource-start"/"resource-restart" to containers, executables
/// and projects: dotnet/aspire src/Aspire.Hosting/ApplicationModel/CommandsConfigurationExtensions.cs). A started
/// member runs its WaitFor again (ApplicationOrchestrator raises BeforeResourceStartedEvent on every start), so
/// one that gave up because of an upstream wave now finds it ready.
/// </summary>
internal sealed class WaveMemberRestarts(WaveResource wave, ResourceNotificationService notifications, ResourceCommandService commands, WaveLog log)
{
    /// <summary>
    /// Starts or restarts every member that needs it; returns each command's task by member name. Not awaited here:
    /// a start returns only once the member's own waits resolve, and the wave's timeout covers it.
    /// <paramref name="stopping"/> is the app's token, not the reconciliation's: a suspend must not cancel a start half-way.
    /// </summary>
    public Dictionary<string, Task> Restart(CancellationToken stopping)
    {
        var restarted = new Dictionary<string, Task>(StringComparer.Ordinal);
        foreach (var member in wave.Members)
        {
            notifications.TryGetCurrentState(member.Name, out var current);
            var snapshot = current?.Snapshot;
            var command = Evaluate(member, snapshot) switch
            {
                MemberState.Failed => KnownResourceCommands.StartCommand,
                MemberState.Pending when snapshot?.State?.Text is { } state && (state == KnownResourceStates.NotStarted || state == "Unknown") => KnownResourceCommands.StartCommand,
                MemberState.Pending when snapshot?.State?.Text == KnownResourceStates.Running => KnownResourceCommands.RestartCommand,
                _ => null,
            };
            if (command is not null)
            {
                restarted[member.Name] = RunCommandAsync(member, command, $"was {snapshot?.State?.Text ?? "not started"}{(snapshot?.HealthStatus is { } health ? $"/{health}" : "")}", stopping);
            }
        }

        return restarted;
    }

    /// <summary>Runs a lifecycle command of <paramref name="resource"/>; never throws (failures are logged).</summary>
    public async Task RunCommandAsync(IResource resource, string command, string why, CancellationToken cancellationToken)
    {
        if (!resource.Annotations.OfType<ResourceCommandAnnotation>().Any(c => c.Name == command))
        {
            log.Resource.LogWarning("Cannot restart '{Resource}' ({Why}): it has no '{Command}' command.", resource.Name, why, command);
            return;
        }

        var verb = command == KnownResourceCommands.RestartCommand ? "restarting" : "starting";
        log.Both(LogLevel.Information, "Wave '{Wave}': {Verb} '{Resource}' ({Why}).", wave.Name, verb, resource.Name, why);
        try
        {
            var result = await commands.ExecuteCommandAsync(resource, command, cancellationToken).ConfigureAwait(false);
            if (!result.Success && !result.Canceled)
            {
                log.Resource.LogWarning("{Verb} '{Resource}' failed: {Error}", verb, resource.Name, result.Message);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested || ex is not OperationCanceledException)
        {
            log.Resource.LogWarning("{Verb} '{Resource}' failed: {Error}", verb, resource.Name, ex.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
