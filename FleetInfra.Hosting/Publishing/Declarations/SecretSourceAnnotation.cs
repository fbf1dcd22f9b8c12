namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// The component provides parameters to the cluster as Secrets Manager secrets (it seeds them): ExternalSecrets read
/// the remote key it gives a parameter.
/// </summary>
/// <param name="RemoteKey">The Secrets Manager name of a parameter, or null when it does not provide it.</param>
/// <param name="Fix">The builder call that would provide a parameter (for error messages).</param>
internal sealed record SecretSourceAnnotation(Func<ParameterResource, string?> RemoteKey, Func<ParameterResource, string> Fix) : IResourceAnnotation;
