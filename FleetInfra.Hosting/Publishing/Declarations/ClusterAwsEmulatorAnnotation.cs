namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// The component stands in for AWS (S3, Secrets Manager) inside cluster overlays that emulate AWS
/// (<see cref="FluxClusterDefinition.EmulatesAws"/>): their region and endpoints are its own.
/// </summary>
/// <param name="DisplayName">How the tree's README names it.</param>
/// <param name="Region">The region clients sign their requests for.</param>
/// <param name="Endpoint">Its in-cluster endpoint for S3 and Secrets Manager.</param>
internal sealed record ClusterAwsEmulatorAnnotation(string DisplayName, string Region, Func<string> Endpoint) : IResourceAnnotation;
