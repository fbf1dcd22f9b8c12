using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FleetInfra.Hosting.Lifecycle;

/// <summary>
/// Child resources (a server's databases: <see cref="IResourceWithParent"/>) turn <c>FailedToStart</c>, naming their
/// parent, when the parent fails to start. Aspire mirrors a parent's state onto its children while it runs, but not its
/// failure: without this, appdb and the Temporal databases would show "Starting" forever under a failed postgres.
/// When the parent starts again (a wave's Reconcile), Aspire's own mirroring takes over again.
/// </summary>
internal sealed class ChildResourcesFollowParent(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ILogger<ChildResourcesFollowParent> logger) : BackgroundService
{
    /// <summary>The property naming why the child failed.</summary>
    public const string ParentFailureProperty = "fleetinfra.parent.failure";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var children = model.Resources.OfType<IResourceWithParent>().Where(c => c is not IResourceWithoutLifetime)
            .GroupBy(c => c.Parent.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        if (children.Count == 0)
        {
            return;
        }

        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                if (update.Snapshot.State?.Text != KnownResourceStates.FailedToStart || !children.TryGetValue(update.Resource.Name, out var failedChildren))
                {
                    continue;
                }

                foreach (var child in failedChildren)
                {
                    var reason = $"parent '{update.Resource.Name}' failed to start";
                    await notifications.PublishUpdateAsync(child, s => s with
                    {
                        State = new ResourceStateSnapshot(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error),
                        Properties = [.. s.Properties.Where(p => p.Name != ParentFailureProperty), new ResourcePropertySnapshot(ParentFailureProperty, reason)],
                    }).ConfigureAwait(false);
                    logger.LogWarning("'{Child}' failed to start: {Reason}.", child.Name, reason);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app host is stopping.
        }
    }
}
