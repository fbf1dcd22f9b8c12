namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// The component connects to <paramref name="Endpoint"/> through a value the model cannot trace to it (a plain
/// <c>host:port</c> string on the container network): the network policies admit it on that endpoint's port, as they
/// do for endpoint references and connection strings.
/// </summary>
/// <param name="Endpoint">The endpoint it connects to.</param>
public sealed record ConnectsToAnnotation(EndpointReference Endpoint) : IResourceAnnotation;
