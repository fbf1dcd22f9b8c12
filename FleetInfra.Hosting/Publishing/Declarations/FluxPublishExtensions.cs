namespace FleetInfra.Hosting.Publishing;

/// <summary>Builder extension that sets a component's own cluster form.</summary>
internal static class FluxPublishExtensions
{
    /// <summary>Publishes <typeparamref name="T"/> with <paramref name="write"/> (replaces an earlier cluster form).</summary>
    public static IResourceBuilder<T> PublishAsFlux<T>(this IResourceBuilder<T> builder, Func<T, FluxBuildContext, Task> write) where T : IResource =>
        builder.WithAnnotation(new FluxPublishAnnotation((resource, context) => write((T)resource, context)), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>Synchronous form of <see cref="PublishAsFlux{T}(IResourceBuilder{T}, Func{T, FluxBuildContext, Task})"/>.</summary>
    public static IResourceBuilder<T> PublishAsFlux<T>(this IResourceBuilder<T> builder, Action<T, FluxBuildContext> write) where T : IResource =>
        builder.PublishAsFlux<T>((resource, context) =>
        {
            write(resource, context);
            return Task.CompletedTask;
        });
}
