namespace FleetInfra.Hosting.Lifecycle;

/// <summary>Marks a resource whose start command <see cref="StartCommandGuard"/> has already wrapped.</summary>
internal sealed class GuardedStartAnnotation : IResourceAnnotation;
