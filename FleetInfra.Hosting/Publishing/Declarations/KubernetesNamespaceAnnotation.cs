namespace FleetInfra.Hosting.Publishing;

/// <summary>Places the component's objects in <paramref name="Namespace"/> instead of the default one.</summary>
/// <param name="Namespace">The namespace; some wave must create it (the publish lint checks).</param>
public sealed record KubernetesNamespaceAnnotation(string Namespace) : IResourceAnnotation;
