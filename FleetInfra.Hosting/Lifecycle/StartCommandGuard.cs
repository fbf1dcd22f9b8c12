using FleetInfra.Hosting.Waves;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetInfra.Hosting.Lifecycle;

/// <summary>
/// Wraps a resource's <i>Start</i> command (the dashboard's button, and the waves' restarts) so that starting a
/// resource whose dependency failed answers with one sentence naming that dependency and its reason, instead of
/// Aspire's own wait throwing "stopped waiting for dependency resource … because it failed to start" and the command
/// service logging it with its stack trace (ResourceCommandService logs every exception of a command with
/// <c>LogError(ex, …)</c>: dotnet/aspire src/Aspire.Hosting/ApplicationModel/ResourceCommandService.cs). The start
/// command is added by DCP when it prepares the resources (<c>AddLifeCycleCommands</c> from
/// <c>DcpExecutor.EnsureRequiredAnnotations</c>, src/Aspire.Hosting/Dcp/DcpExecutor.cs), i.e. after the model is
/// built: the wrap happens on the resource's first BeforeResourceStartedEvent, before anyone can click it.
/// </summary>
internal static class StartCommandGuard
{
    /// <summary>Replaces <paramref name="resource"/>'s start command by the guarded one (once).</summary>
    public static void Apply(IResource resource)
    {
        if (resource.HasAnnotationOfType<GuardedStartAnnotation>() || !resource.Annotations.OfType<WaitAnnotation>().Any())
        {
            return;
        }

        var start = resource.Annotations.OfType<ResourceCommandAnnotation>().SingleOrDefault(c => c.Name == KnownResourceCommands.StartCommand);
        if (start is null)
        {
            return;
        }

        resource.Annotations.Remove(start);
        resource.Annotations.Add(new ResourceCommandAnnotation(start.Name, start.DisplayName, start.UpdateState,
            context => ExecuteAsync(resource, start, context), start.DisplayDescription, start.Arguments, start.ConfirmationMessage,
            start.IconName, start.IconVariant, start.IsHighlighted, start.Visibility, start.ValidateArguments));
        resource.Annotations.Add(new GuardedStartAnnotation());
    }

    /// <summary>The first dependency of <paramref name="resource"/> that failed, with why; null when none did.</summary>
    public static string? FailedDependency(IResource resource, ResourceNotificationService notifications)
    {
        foreach (var wait in resource.Annotations.OfType<WaitAnnotation>())
        {
            if (notifications.TryGetCurrentState(wait.Resource.Name, out var current) && current.Snapshot.State?.Text == KnownResourceStates.FailedToStart)
            {
                var why = current.Snapshot.Properties.FirstOrDefault(p => p.Name is WaveResource.FailureProperty or MemberFailure.Property or ChildResourcesFollowParent.ParentFailureProperty)?.Value;
                return $"'{wait.Resource.Name}', which failed to start{(why is null ? "" : $" ({why})")}";
            }
        }

        return null;
    }

    private static async Task<ExecuteCommandResult> ExecuteAsync(IResource resource, ResourceCommandAnnotation start, ExecuteCommandContext context)
    {
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        var logger = context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
        if (FailedDependency(resource, notifications) is { } dependency)
        {
            var wave = resource.GetWave();
            var message = $"'{resource.Name}' cannot start: it waits for {dependency}. Fix that first, then " +
                (wave is null ? "start it again." : $"run 'Reconcile' on wave '{wave.Name}'.");
            logger.LogWarning("{Message}", message);
            return CommandResults.Failure(message);
        }

        try
        {
            return await start.ExecuteCommand(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A dependency that failed while the start waited for it: the same answer, without the stack trace.
            var message = $"'{resource.Name}' did not start: {ex.Message.Split('\n')[0].Trim()}";
            logger.LogWarning("{Message}", message);
            return CommandResults.Failure(message);
        }
    }
}
