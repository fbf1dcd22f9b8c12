using FleetInfra.Hosting.Configuration;
using static FleetInfra.Hosting.Waves.WaveMonitor;
using static FleetInfra.Hosting.Waves.WaveProperties;

namespace FleetInfra.Hosting.Waves;

/// <summary>
/// What a wave shows in the dashboard for each phase: its state and the <c>fleetinfra.wave.*</c> properties. Waiters
/// read only the state (see <see cref="WaveMonitor"/>): exactly FailedToStart releases them with an error.
/// </summary>
internal sealed class WaveDashboard(WaveResource wave, ResourceNotificationService notifications)
{
    public Task WaitingAsync() =>
        notifications.PublishUpdateAsync(wave, s => s with { State = KnownResourceStates.Waiting });

    public Task SuspendedAsync() =>
        notifications.PublishUpdateAsync(wave, s => s with { State = new ResourceStateSnapshot(SuspendedState, KnownResourceStateStyles.Warn) });

    public Task ReconcilingAsync(DateTime started, int reconciles) =>
        notifications.PublishUpdateAsync(wave, s => s with
        {
            State = new ResourceStateSnapshot(ReconcilingState, KnownResourceStateStyles.Info),
            StartTimeStamp = started,
            Properties = Set(Set(Without(s.Properties, WaveResource.DegradedProperty), WaveResource.TimeoutProperty, FleetInfraSettings.FormatDuration(wave.Timeout)),
                WaveResource.ReconcilesProperty, reconciles),
        });

    public Task ReadyAsync(TimeSpan readyAfter) =>
        notifications.PublishUpdateAsync(wave, s => s with
        {
            State = KnownResourceStates.Running,
            Properties = Set(Without(Without(Without(s.Properties, WaveResource.FailureProperty), WaveResource.NotReadyProperty), WaveResource.DegradedProperty),
                WaveResource.ReadyAfterProperty, $"{readyAfter.TotalSeconds:0.0}s"),
        });

    // Exactly FailedToStart: waiters with StopOnResourceUnavailable give up on that state only.
    public Task FailedAsync(string reason, string[] late) =>
        notifications.PublishUpdateAsync(wave, s => s with
        {
            State = new ResourceStateSnapshot(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error),
            Properties = SetHighlighted(SetHighlighted(s.Properties, WaveResource.FailureProperty, "Failure", reason), WaveResource.NotReadyProperty, "Not ready", string.Join(", ", late)),
        });

    public Task DegradedAsync(string notReady) =>
        notifications.PublishUpdateAsync(wave, s => s with
        {
            State = new ResourceStateSnapshot(DegradedState, KnownResourceStateStyles.Warn),
            Properties = SetHighlighted(s.Properties, WaveResource.DegradedProperty, "Degraded by", notReady),
        });

    public Task RecoveredAsync() =>
        notifications.PublishUpdateAsync(wave, s => s with
        {
            State = KnownResourceStates.Running,
            Properties = Without(s.Properties, WaveResource.DegradedProperty),
        });
}
