namespace FleetInfra.Hosting.Publishing;

/// <summary>Builder extension for jobs whose reruns are harmless (<see cref="RerunnableJobAnnotation"/>).</summary>
public static class RerunnableJobExtensions
{
    /// <summary>Five minutes: long enough to read a failed run's logs, short enough that its wave recovers on its own.</summary>
    public static readonly TimeSpan DefaultDeleteAfter = TimeSpan.FromMinutes(5);

    /// <summary>
    /// In the cluster, the job is deleted <paramref name="deleteAfter"/> (default five minutes) after it finishes and Flux runs
    /// it again: only for a command that is idempotent.
    /// </summary>
    public static IResourceBuilder<T> RerunsInCluster<T>(this IResourceBuilder<T> builder, TimeSpan? deleteAfter = null)
        where T : IResource
    {
        var after = deleteAfter ?? DefaultDeleteAfter;
        if (after < TimeSpan.FromSeconds(1) || after.TotalSeconds != Math.Floor(after.TotalSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(deleteAfter), after, $"'{builder.Resource.Name}': deleteAfter must be whole seconds, at least 1s.");
        }

        return builder.WithAnnotation(new RerunnableJobAnnotation(after), ResourceAnnotationMutationBehavior.Replace);
    }
}
