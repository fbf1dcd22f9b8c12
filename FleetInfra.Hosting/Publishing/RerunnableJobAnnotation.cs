namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// The component's cluster Job may run again at any time (its command is idempotent): the Job is deleted
/// <paramref name="DeleteAfter"/> after it finishes (<c>ttlSecondsAfterFinished</c>), succeeded or failed, and Flux applies
/// it again at its next reconciliation. So a run that failed (its dependency not ready yet) is retried instead of keeping
/// its wave failed until someone deletes the Job; the publish lint's job-recovery rule requires it of every Job.
/// </summary>
/// <param name="DeleteAfter">How long a finished Job stays for inspection (whole seconds).</param>
public sealed record RerunnableJobAnnotation(TimeSpan DeleteAfter) : IResourceAnnotation;
