namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// The component's own cluster form: the publisher calls <paramref name="WriteAsync"/> instead of the generic workload.
/// Set by the component's own folder (its <c>PublishAs…</c> extension), so Publishing knows no component.
/// </summary>
/// <param name="WriteAsync">Adds the component's objects for the cluster overlay being built.</param>
internal sealed record FluxPublishAnnotation(Func<IResource, FluxBuildContext, Task> WriteAsync) : IResourceAnnotation;
