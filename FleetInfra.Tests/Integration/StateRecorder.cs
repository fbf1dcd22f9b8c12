using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FleetInfra.Tests.Integration;

/// <summary>One observed change of a resource: its state and health at a moment.</summary>
public sealed record StateChange(string Resource, string? State, HealthStatus? Health, DateTime At);

/// <summary>Records every resource state transition from the app's notifications, with timestamps.</summary>
public sealed class StateRecorder : IAsyncDisposable
{
    private readonly ConcurrentQueue<StateChange> _changes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;

    public StateRecorder(ResourceNotificationService notifications)
    {
        Started = DateTime.UtcNow;
        _watch = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in notifications.WatchAsync(_stop.Token))
                {
                    var change = new StateChange(e.Resource.Name, e.Snapshot.State?.Text, e.Snapshot.HealthStatus, DateTime.UtcNow);
                    var last = _changes.LastOrDefault(c => c.Resource == change.Resource);
                    if (last is null || last.State != change.State || last.Health != change.Health)
                    {
                        _changes.Enqueue(change);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public DateTime Started { get; }

    public IReadOnlyList<StateChange> Changes => [.. _changes];

    /// <summary>When the resource first ran (state Running), or null.</summary>
    public DateTime? FirstRunning(string resource) =>
        Changes.FirstOrDefault(c => c.Resource == resource && c.State == KnownResourceStates.Running)?.At;

    /// <summary>When the resource was first Running and healthy, or null.</summary>
    public DateTime? FirstHealthy(string resource) =>
        Changes.FirstOrDefault(c => c.Resource == resource && c.State == KnownResourceStates.Running && c.Health == HealthStatus.Healthy)?.At;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watch;
        _stop.Dispose();
    }
}
