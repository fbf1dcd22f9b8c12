namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// The one place that names the stack's Secrets Manager secrets: <c>fleet-infra/&lt;parameter&gt;</c>. The AWS emulator
/// seeds them under these names and the cluster's ExternalSecrets read the same names (in AWS as well).
/// </summary>
public static class SecretNames
{
    /// <summary>The Secrets Manager name of a secret of the stack: <c>fleet-infra/&lt;name&gt;</c>.</summary>
    public static string RemoteKey(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return $"{FluxBuildContext.PartOf}/{name}";
    }

    /// <summary>The Secrets Manager name of a parameter: <c>fleet-infra/&lt;parameter name&gt;</c>.</summary>
    public static string RemoteKey(ParameterResource parameter) => RemoteKey(parameter.Name);
}
