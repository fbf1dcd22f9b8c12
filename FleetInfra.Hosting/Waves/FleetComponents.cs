namespace FleetInfra.Hosting.Waves;

/// <summary>
/// The components of a model, defined once for the builder, the publisher, the documents and the dependency graph:
/// the members of a wave (not the waves themselves), in declaration order. A resource in no wave — a parameter, the Flux
/// environment — is not a component: it is neither deployed nor part of the fleet's start-up.
/// </summary>
public static class FleetComponents
{
    /// <summary>The wave members, in declaration order: one entry per deployed component.</summary>
    public static IEnumerable<IResource> Of(IEnumerable<IResource> resources) =>
        WithChildren(resources).Where(r => r.HasAnnotationOfType<WaveMembershipAnnotation>());

    /// <summary>
    /// The wave members and their children (a server's databases, which belong to their parent's wave), in declaration
    /// order: what is named, drawn and excluded by name.
    /// </summary>
    public static IEnumerable<IResource> WithChildren(IEnumerable<IResource> resources) =>
        resources.Where(r => r is not WaveResource && r.GetWave() is not null);
}
