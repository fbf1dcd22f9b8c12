using FleetInfra.Hosting.Waves;

namespace FleetInfra.Hosting.Lifecycle;

/// <summary>
/// Why a component did not start or was not started (no container runtime, an image that cannot be had, a failed
/// parent or wave): one property, shown in the dashboard's details panel as "Why not running", and a final state -
/// never "Starting" or "Waiting" forever.
/// </summary>
internal static class MemberFailure
{
    /// <summary>The snapshot property that says why the resource is not running.</summary>
    public const string Property = "fleetinfra.failure";

    /// <summary>How the details panel labels <see cref="Property"/>.</summary>
    public const string DisplayName = "Why not running";

    /// <summary>The reason a snapshot carries, if any.</summary>
    public static string? Of(CustomResourceSnapshot? snapshot) =>
        snapshot?.Properties.FirstOrDefault(p => p.Name == Property)?.Value as string;

    /// <summary>
    /// Publishes exactly <c>FailedToStart</c> (waiters with <see cref="WaitBehavior.StopOnResourceUnavailable"/> give up on
    /// that state only, so whatever waits for <paramref name="resource"/> stops waiting too) with <paramref name="reason"/>.
    /// </summary>
    public static Task MarkFailedAsync(ResourceNotificationService notifications, IResource resource, string reason) =>
        notifications.PublishUpdateAsync(resource, s => s with
        {
            State = new ResourceStateSnapshot(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error),
            Properties = WaveProperties.SetHighlighted(s.Properties, Property, DisplayName, reason),
        });

    /// <summary>Sets the reason without changing the state (a member that still runs or is being started).</summary>
    public static Task SetReasonAsync(ResourceNotificationService notifications, IResource resource, string reason) =>
        notifications.PublishUpdateAsync(resource, s => s with { Properties = WaveProperties.SetHighlighted(s.Properties, Property, DisplayName, reason) });

    /// <summary>Removes the reason (the resource is starting again).</summary>
    public static Task ClearAsync(ResourceNotificationService notifications, IResource resource) =>
        notifications.PublishUpdateAsync(resource, s => s with { Properties = WaveProperties.Without(s.Properties, Property) });
}
