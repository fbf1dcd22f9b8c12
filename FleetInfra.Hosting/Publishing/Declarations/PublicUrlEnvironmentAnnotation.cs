namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// Environment variables a component takes from the public URL of its route (where the cluster's ingress serves it behind TLS
/// under its own host name: the production cluster), e.g. the base URL of its webhooks.
/// </summary>
/// <param name="Variables">The variables for a public URL.</param>
public sealed record PublicUrlEnvironmentAnnotation(Func<Uri, IReadOnlyDictionary<string, string>> Variables) : IResourceAnnotation;
