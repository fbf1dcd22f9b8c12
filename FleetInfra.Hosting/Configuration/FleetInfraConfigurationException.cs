namespace FleetInfra.Hosting.Configuration;

/// <summary>
/// Invalid FleetInfra configuration. Thrown while the app model is built, before any resource starts;
/// the message names the configuration key and what is allowed.
/// </summary>
public sealed class FleetInfraConfigurationException : DistributedApplicationException
{
    /// <summary>One problem with <paramref name="key"/>.</summary>
    public FleetInfraConfigurationException(string key, string message)
        : base($"Invalid configuration '{key}': {message}")
    {
        Key = key;
        Lines = [Message];
    }

    /// <summary>Several problems with <paramref name="key"/> (e.g. port clashes), each a line of its own.</summary>
    public FleetInfraConfigurationException(string key, string summary, IReadOnlyList<string> lines)
        : base($"Invalid configuration '{key}': {summary}{string.Concat(lines.Select(l => $"{Environment.NewLine}  {l}"))}")
    {
        Key = key;
        Lines = lines;
    }

    /// <summary>The configuration key (or model element) that is wrong.</summary>
    public string Key { get; }

    /// <summary>What to tell the user, one line per problem.</summary>
    public IReadOnlyList<string> Lines { get; }
}
