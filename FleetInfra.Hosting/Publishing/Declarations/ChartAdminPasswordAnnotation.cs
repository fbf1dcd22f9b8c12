namespace FleetInfra.Hosting.Publishing;

/// <summary>The admin password a chart-installed UI signs in with; in the cluster it arrives through an ExternalSecret.</summary>
/// <param name="Password">The secret parameter (provided to Secrets Manager by a secret source, <see cref="SecretSourceAnnotation"/>).</param>
public sealed record ChartAdminPasswordAnnotation(ParameterResource Password) : IResourceAnnotation;
