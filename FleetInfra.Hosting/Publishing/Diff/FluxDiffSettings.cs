using FleetInfra.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>
/// The diff step's settings: <c>FleetInfra:Diff:Base</c> (a published tree, e.g. a checkout of the fleet-infra
/// repository's base branch), <c>FleetInfra:Diff:Base:&lt;cluster&gt;</c> (per cluster: clusters track different
/// branches) and <c>FleetInfra:Diff:FailOn</c> (<c>risk</c> or <c>change</c>).
/// </summary>
internal sealed record FluxDiffSettings(IReadOnlyDictionary<string, string> BaseByCluster, DiffFailOn FailOn)
{
    public const string BaseKey = "FleetInfra:Diff:Base";
    public const string FailOnKey = "FleetInfra:Diff:FailOn";

    /// <summary>Reads and checks the settings for <paramref name="clusters"/>; a bad value names its key and what is allowed.</summary>
    public static FluxDiffSettings Parse(IConfiguration configuration, IReadOnlyList<string> clusters)
    {
        var failOn = configuration[FailOnKey] switch
        {
            null or "" => DiffFailOn.Never,
            var v when v.Equals("risk", StringComparison.OrdinalIgnoreCase) => DiffFailOn.Risk,
            var v when v.Equals("change", StringComparison.OrdinalIgnoreCase) => DiffFailOn.Change,
            var v => throw new FleetInfraConfigurationException(FailOnKey, $"'{v}' is not allowed. Allowed: risk (fail on risky changes), change (fail on any change), or unset (report only)."),
        };

        var section = configuration.GetSection(BaseKey);
        foreach (var child in section.GetChildren().Where(c => !clusters.Contains(c.Key, StringComparer.OrdinalIgnoreCase)))
        {
            throw new FleetInfraConfigurationException($"{BaseKey}:{child.Key}", $"there is no cluster '{child.Key}'. Allowed: {string.Join(", ", clusters)}.");
        }

        var byCluster = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var cluster in clusters)
        {
            var path = section.GetChildren().FirstOrDefault(c => c.Key.Equals(cluster, StringComparison.OrdinalIgnoreCase))?.Value is { Length: > 0 } own ? own : section.Value;
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new FleetInfraConfigurationException(BaseKey,
                    $"no base tree for cluster '{cluster}': set {BaseKey} (or {BaseKey}:{cluster}) to a published tree, e.g. a checkout of the branch the cluster tracks.");
            }

            byCluster[cluster] = Path.GetFullPath(path);
        }

        return new FluxDiffSettings(byCluster, failOn);
    }
}
