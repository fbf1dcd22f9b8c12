using FleetInfra.Hosting.Waves;
using Microsoft.Extensions.Logging;

namespace FleetInfra.Hosting.Lifecycle;

/// <summary>
/// Child resources (a server's databases: <see cref="IResourceWithParent"/>) turn <c>FailedToStart</c>, naming their
/// parent, whenever the parent is <c>FailedToStart</c> - also when a child update arrives after the parent's failure
/// (Aspire's integrations publish their children's states on their own schedule, e.g. "Starting" while the server is
/// created). Aspire mirrors a parent's state onto its children while it runs, but not its failure: without this,
/// appdb and the Temporal databases would show "Starting" forever under a failed postgres, and whatever waits for them
/// (n8n, Temporal) "Waiting" (a WaitFor ends only when all of its waits have). When the parent starts again (a wave's
/// Reconcile), Aspire's own mirroring takes over again.
/// Started from BeforeStartEvent, not as a hosted service: the host starts its hosted services one after the other and
/// Aspire's own (registered first) returns only when every resource's wait has resolved - which, while a database shows
/// "Starting", is never, so a hosted service would never get to run (seen here: appdb "Starting", n8n "Waiting" forever).
/// </summary>
internal sealed class ChildResourcesFollowParent(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ILogger logger)
{
    /// <summary>The property naming why the child failed.</summary>
    public const string ParentFailureProperty = "fleetinfra.parent.failure";

    /// <summary>Follows the parents until <paramref name="stoppingToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var children = model.Resources.OfType<IResourceWithParent>().Where(c => c is not IResourceWithoutLifetime).ToList();
        var byParent = children.GroupBy(c => c.Parent.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        if (children.Count == 0)
        {
            return;
        }

        // Parents whose latest update was FailedToStart, from the stream itself (a container's updates carry its DCP
        // instance id, e.g. postgres-abcd1234, so looking the parent up by its model name would miss them).
        var failedParents = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                var state = update.Snapshot.State?.Text;
                if (byParent.TryGetValue(update.Resource.Name, out var ofParent))
                {
                    if (state != KnownResourceStates.FailedToStart)
                    {
                        failedParents.Remove(update.Resource.Name);
                        continue;
                    }

                    failedParents.Add(update.Resource.Name);
                    foreach (var child in ofParent)
                    {
                        await FailAsync(child, update.Resource.Name).ConfigureAwait(false);
                    }
                }
                else if (update.Resource is IResourceWithParent child && children.Contains(child)
                    && state != KnownResourceStates.FailedToStart && failedParents.Contains(child.Parent.Name))
                {
                    await FailAsync(child, child.Parent.Name).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app host is stopping.
        }
    }

    private async Task FailAsync(IResource child, string parent)
    {
        var reason = $"parent '{parent}' failed to start";
        if (notifications.TryGetCurrentState(child.Name, out var current) && current.Snapshot.State?.Text == KnownResourceStates.FailedToStart
            && current.Snapshot.Properties.Any(p => p.Name == ParentFailureProperty))
        {
            return; // already says so: the parent's later updates (its reason, its logs) change nothing here
        }

        await notifications.PublishUpdateAsync(child, s => s with
        {
            State = new ResourceStateSnapshot(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error),
            Properties = WaveProperties.SetHighlighted(s.Properties, ParentFailureProperty, MemberFailure.DisplayName, reason),
        }).ConfigureAwait(false);
        logger.LogWarning("'{Child}' failed to start: {Reason}.", child.Name, reason);
    }
}
