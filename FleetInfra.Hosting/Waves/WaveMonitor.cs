using FleetInfra.Hosting.Configuration;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using FleetInfra.Hosting.Components.ClusterOnly;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace FleetInfra.Hosting.Waves;

/// <summary>
/// Drives a <see cref="WaveResource"/>'s state: waits for its upstream waves, then for its members under the
/// wave's timeout. No health check is registered on the wave on purpose: once it is Running, Aspire treats
/// it as healthy and releases waiters; a health check would keep waiters hanging after a failure.
/// </summary>
internal static class WaveMonitor
{
    /// <summary>Resource state shown while a wave waits for its members.</summary>
    public const string ReconcilingState = "Reconciling";

    public static async Task RunAsync(WaveResource wave, InitializeResourceEvent e, CancellationToken cancellationToken)
    {
        try
        {
            await MonitorAsync(wave, e, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Nobody observes this task: a wave left "Reconciling" would keep every waiter waiting forever.
            e.Logger.LogError(ex, "Wave '{Wave}' monitor failed.", wave.Name);
            await FailAsync(e.Notifications, wave, $"monitor error: {ex.Message}", [.. wave.Members.Select(m => m.Name)]).ConfigureAwait(false);
        }
    }

    private static async Task MonitorAsync(WaveResource wave, InitializeResourceEvent e, CancellationToken cancellationToken)
    {
        var notifications = e.Notifications;
        var logger = e.Logger;

        try
        {
            await notifications.WaitForDependenciesAsync(wave, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            var upstream = string.Join(", ", wave.DependsOn.Select(d => d.Wave.Name));
            logger.LogError("Wave '{Wave}' not started: an upstream wave ({Upstream}) failed. {Reason}", wave.Name, upstream, ex.Message);
            await FailAsync(notifications, wave, $"upstream wave failed ({upstream})", []).ConfigureAwait(false);
            return;
        }

        var started = DateTime.UtcNow;
        await notifications.PublishUpdateAsync(wave, s => s with
        {
            State = new ResourceStateSnapshot(ReconcilingState, KnownResourceStateStyles.Info),
            StartTimeStamp = started,
            Properties = Set(s.Properties, WaveResource.TimeoutProperty, FleetInfraSettings.FormatDuration(wave.Timeout)),
        }).ConfigureAwait(false);
        logger.LogInformation("Wave '{Wave}' reconciling {Count} member(s), timeout {Timeout}.", wave.Name, wave.Members.Count, wave.Timeout);

        var pending = new ConcurrentDictionary<string, IResource>(wave.Members.ToDictionary(m => m.Name));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wave.Timeout);

        string? failure = null;
        try
        {
            await Task.WhenAll(wave.Members.Select(async member =>
            {
                var outcome = await WaitForMemberAsync(notifications, member, timeout.Token).ConfigureAwait(false);
                if (outcome is null)
                {
                    pending.TryRemove(member.Name, out _);
                    logger.LogInformation("Wave '{Wave}': member '{Member}' ready.", wave.Name, member.Name);
                }
                else
                {
                    Interlocked.CompareExchange(ref failure, $"member '{member.Name}' {outcome}", null);
                    // One failed member fails the wave now rather than at the timeout.
                    await timeout.CancelAsync().ConfigureAwait(false);
                }
            })).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (OperationCanceledException)
        {
            failure ??= $"timed out after {wave.Timeout}";
        }

        if (failure is null && pending.IsEmpty)
        {
            logger.LogInformation("Wave '{Wave}' ready after {Elapsed:0.0}s.", wave.Name, (DateTime.UtcNow - started).TotalSeconds);
            await notifications.PublishUpdateAsync(wave, s => s with
            {
                State = KnownResourceStates.Running,
                Properties = Set(s.Properties, WaveResource.ReadyAfterProperty, $"{(DateTime.UtcNow - started).TotalSeconds:0.0}s"),
            }).ConfigureAwait(false);
            return;
        }

        var late = pending.Keys.Order(StringComparer.Ordinal).ToArray();
        logger.LogError("Wave '{Wave}' failed: {Failure}. Members not ready: {Late}.", wave.Name, failure, string.Join(", ", late));
        await FailAsync(notifications, wave, failure ?? "failed", late).ConfigureAwait(false);
    }

    /// <summary>Returns null when the member is ready, otherwise why it never will be.</summary>
    private static async Task<string?> WaitForMemberAsync(ResourceNotificationService notifications, IResource member, CancellationToken cancellationToken)
    {
        if (member is ClusterOnlyResource)
        {
            return null; // Satisfied locally: it only exists in a cluster.
        }

        var completes = member.HasAnnotationOfType<RunsToCompletionAnnotation>();
        var resourceEvent = await notifications.WaitForResourceAsync(
            member.Name,
            re => Evaluate(re.Snapshot, completes) is not MemberState.Pending,
            cancellationToken).ConfigureAwait(false);

        var snapshot = resourceEvent.Snapshot;
        return Evaluate(snapshot, completes) switch
        {
            MemberState.Ready => null,
            _ => completes && snapshot.ExitCode is { } code && code != 0
                ? $"exited with code {code}"
                : $"entered state '{snapshot.State?.Text}'",
        };
    }

    private enum MemberState { Pending, Ready, Failed }

    private static MemberState Evaluate(CustomResourceSnapshot snapshot, bool completes)
    {
        var state = snapshot.State?.Text;
        if (completes && (state == KnownResourceStates.Finished || state == KnownResourceStates.Exited || snapshot.ExitCode is not null))
        {
            return snapshot.ExitCode is null or 0 ? MemberState.Ready : MemberState.Failed;
        }

        if (state == KnownResourceStates.Running && snapshot.HealthStatus == HealthStatus.Healthy)
        {
            return MemberState.Ready;
        }

        return state == KnownResourceStates.FailedToStart || state == KnownResourceStates.RuntimeUnhealthy
            || state == KnownResourceStates.Exited || state == KnownResourceStates.Finished
            ? MemberState.Failed
            : MemberState.Pending;
    }

    private static Task FailAsync(ResourceNotificationService notifications, WaveResource wave, string reason, string[] late) =>
        // Exactly FailedToStart: waiters with StopOnResourceUnavailable give up on that state only.
        notifications.PublishUpdateAsync(wave, s => s with
        {
            State = new ResourceStateSnapshot(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error),
            Properties = Set(Set(s.Properties, WaveResource.FailureProperty, reason), WaveResource.NotReadyProperty, string.Join(", ", late)),
        });

    private static ImmutableArray<ResourcePropertySnapshot> Set(ImmutableArray<ResourcePropertySnapshot> properties, string name, object value) =>
        [.. properties.Where(p => p.Name != name), new ResourcePropertySnapshot(name, value)];
}
