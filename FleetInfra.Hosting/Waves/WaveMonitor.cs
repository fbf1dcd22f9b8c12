using FleetInfra.Hosting.Components.ClusterOnly;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FleetInfra.Hosting.Waves;

/// <summary>
/// The states a wave shows and how a member's snapshot is judged. No health check is registered on a wave on
/// purpose: once it is Running, Aspire treats it as healthy and releases waiters; a health check would keep
/// waiters hanging after a failure. Every other state (Waiting, Reconciling, Degraded, Suspended) holds
/// waiters back; exactly FailedToStart releases them with an error (<see cref="WaitBehavior.StopOnResourceUnavailable"/>).
/// </summary>
internal static class WaveMonitor
{
    /// <summary>Resource state shown while a wave waits for its members.</summary>
    public const string ReconcilingState = "Reconciling";

    /// <summary>Resource state of a ready wave one of whose members stopped or turned unhealthy (Flux <c>Ready=False</c>).</summary>
    public const string DegradedState = "Degraded";

    /// <summary>Resource state of a suspended wave (Flux <c>spec.suspend: true</c>): it starts nothing new and never times out.</summary>
    public const string SuspendedState = "Suspended";

    /// <summary>How a member looks to its wave.</summary>
    public enum MemberState
    {
        /// <summary>Still on its way (waiting, starting, running but not healthy yet).</summary>
        Pending,

        /// <summary>Healthy, or a job that exited with code 0, or cluster-only.</summary>
        Ready,

        /// <summary>Will not get ready by itself (failed to start, exited, a job with a non-zero exit code).</summary>
        Failed,
    }

    /// <summary>Judges a member by its current snapshot.</summary>
    public static MemberState Evaluate(IResource member, CustomResourceSnapshot? snapshot)
    {
        if (member is ClusterOnlyResource)
        {
            return MemberState.Ready; // Satisfied locally: it only exists in a cluster.
        }

        if (snapshot is null)
        {
            return MemberState.Pending;
        }

        var state = snapshot.State?.Text;
        if (member.HasAnnotationOfType<RunsToCompletionAnnotation>()
            && (state == KnownResourceStates.Finished || state == KnownResourceStates.Exited || snapshot.ExitCode is not null))
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

    /// <summary>Why a member is not ready, for logs and properties: "'postgres' Exited", "'redis' Running/Unhealthy".</summary>
    public static string Describe(IResource member, CustomResourceSnapshot? snapshot)
    {
        if (snapshot is null)
        {
            return $"'{member.Name}' not started";
        }

        var state = snapshot.State?.Text ?? "no state";
        return member.HasAnnotationOfType<RunsToCompletionAnnotation>() && snapshot.ExitCode is { } code and not 0
            ? $"'{member.Name}' exited with code {code}"
            : snapshot.HealthStatus is { } health && health != HealthStatus.Healthy ? $"'{member.Name}' {state}/{health}" : $"'{member.Name}' {state}";
    }
}
