namespace FleetInfra.Hosting.Configuration;

/// <summary>
/// Invalid FleetInfra configuration. Thrown while the app model is built, before any resource starts;
/// the message names the configuration key and what is allowed.
/// </summary>
public sealed class FleetInfraConfigurationException(string key, string message)
    : DistributedApplicationException($"Invalid configuration '{key}': {message}")
{
    /// <summary>The configuration key (or model element) that is wrong.</summary>
    public string Key { get; } = key;
}
