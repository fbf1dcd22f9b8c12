namespace FleetInfra.Hosting.Publishing;

/// <summary>Changes the objects published for a component before the lint runs.</summary>
/// <param name="Customize">Receives the component's objects; may edit, add or remove them.</param>
public sealed record FluxManifestsAnnotation(Action<FluxComponentManifests> Customize) : IResourceAnnotation;
