using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace FleetInfra.Hosting.Configuration;

/// <summary>How long local data-layer containers live.</summary>
public enum FleetLifetime
{
    /// <summary>Containers are removed when the AppHost stops (Aspire's default).</summary>
    Session,

    /// <summary>The data-layer containers and Prometheus outlive the AppHost, so a restart reattaches instead of re-initialising.</summary>
    Persistent,
}

/// <summary>
/// The <c>FleetInfra:*</c> configuration, parsed and syntax-checked when the model is created. Keys that
/// name resources or waves are checked against the model in <see cref="FleetInfraBuilder.Build"/>.
/// </summary>
public sealed partial class FleetInfraSettings
{
    /// <summary>The configuration section all settings live under.</summary>
    public const string SectionName = "FleetInfra";

    private static readonly string[] s_knownKeys = ["Exclude", "Images", "Registry", "Waves", "Lifetime", "Ports", "Flux", "Diff"];

    /// <summary>Resource names left out of the local run (<c>FleetInfra:Exclude</c>).</summary>
    public IReadOnlyList<string> Exclude { get; private init; } = [];

    /// <summary>Per-resource image overrides (<c>FleetInfra:Images:&lt;resource&gt;</c>).</summary>
    public IReadOnlyDictionary<string, ImageReference> Images { get; private init; } = new Dictionary<string, ImageReference>();

    /// <summary>Registry that replaces the registry of every image (<c>FleetInfra:Registry</c>).</summary>
    public string? Registry { get; private init; }

    /// <summary>Per-wave timeout overrides (<c>FleetInfra:Waves:&lt;wave&gt;:Timeout</c>).</summary>
    public IReadOnlyDictionary<string, TimeSpan> WaveTimeouts { get; private init; } = new Dictionary<string, TimeSpan>();

    /// <summary>Per-wave retry intervals (<c>FleetInfra:Waves:&lt;wave&gt;:RetryInterval</c>, Flux <c>retryInterval</c>).</summary>
    public IReadOnlyDictionary<string, TimeSpan> WaveRetryIntervals { get; private init; } = new Dictionary<string, TimeSpan>();

    /// <summary>Retry interval of every wave without its own (<c>FleetInfra:Waves:RetryInterval</c>); null: no automatic retry.</summary>
    public TimeSpan? DefaultRetryInterval { get; private init; }

    /// <summary>Per-wave drift-correction intervals (<c>FleetInfra:Waves:&lt;wave&gt;:Interval</c>, Flux <c>interval</c>).</summary>
    public IReadOnlyDictionary<string, TimeSpan> WaveIntervals { get; private init; } = new Dictionary<string, TimeSpan>();

    /// <summary>Interval of every wave without its own (<c>FleetInfra:Waves:Interval</c>); null: <see cref="DefaultWaveInterval"/>.</summary>
    public TimeSpan? DefaultInterval { get; private init; }

    /// <summary>
    /// After this long Degraded, a wave reconciles by itself (local run): long enough that a member restarting on its own
    /// (a crash loop's back-off, a slow health check) is not interrupted, short enough that drift (an engine restart that
    /// exited every container) is repaired while the user is still looking.
    /// </summary>
    public static readonly TimeSpan DefaultWaveInterval = TimeSpan.FromMinutes(1);

    /// <summary>The wave names the <c>FleetInfra:Waves</c> section mentions.</summary>
    public IEnumerable<string> WaveNames => WaveTimeouts.Keys.Concat(WaveRetryIntervals.Keys).Concat(WaveIntervals.Keys).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>Lifetime of the data-layer containers (<c>FleetInfra:Lifetime</c>).</summary>
    public FleetLifetime Lifetime { get; private init; } = FleetLifetime.Session;

    /// <summary>
    /// Host port overrides (<c>FleetInfra:Ports:&lt;resource&gt;</c> or <c>FleetInfra:Ports:&lt;resource&gt;:&lt;endpoint&gt;</c>), in the
    /// order given; resource and endpoint names are checked against the model in <see cref="FleetInfraBuilder.Build"/>.
    /// </summary>
    public IReadOnlyList<PortOverride> Ports { get; private init; } = [];

    /// <summary>Reads and checks the <c>FleetInfra</c> section; throws <see cref="FleetInfraConfigurationException"/>.</summary>
    public static FleetInfraSettings Parse(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        foreach (var child in section.GetChildren())
        {
            if (!s_knownKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw new FleetInfraConfigurationException(child.Path,
                    $"unknown setting. Allowed keys under '{SectionName}': {string.Join(", ", s_knownKeys)}.");
            }
        }

        var waves = ReadWaves(section.GetSection("Waves"));
        return new FleetInfraSettings
        {
            Exclude = ReadList(section.GetSection("Exclude")),
            Images = ReadImages(section.GetSection("Images")),
            Registry = ReadRegistry(section.GetSection("Registry")),
            WaveTimeouts = waves.Timeouts,
            WaveRetryIntervals = waves.RetryIntervals,
            DefaultRetryInterval = waves.DefaultRetryInterval,
            WaveIntervals = waves.Intervals,
            DefaultInterval = waves.DefaultInterval,
            Lifetime = ReadLifetime(section.GetSection("Lifetime")),
            Ports = ReadPorts(section.GetSection("Ports")),
        };
    }

    // Accepts both the list form (FleetInfra:Exclude:0=a) and a comma-separated value (FleetInfra__Exclude=a,b),
    // the latter being what people type into an environment variable.
    private static string[] ReadList(IConfigurationSection section)
    {
        var items = section.GetChildren().Select(c => c.Value).Append(section.Value);
        return items
            .Where(v => !string.IsNullOrWhiteSpace(v))
            .SelectMany(v => v!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }

    private static Dictionary<string, ImageReference> ReadImages(IConfigurationSection section)
    {
        var images = new Dictionary<string, ImageReference>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (string.IsNullOrWhiteSpace(child.Value) || !ImageReference.TryParse(child.Value, out var reference))
            {
                throw new FleetInfraConfigurationException(child.Path,
                    $"'{child.Value}' is not an image reference. Allowed: [registry[:port]/]repository[:tag][@sha256:<64 hex>], " +
                    "lowercase repository, for example 'localhost/fleetinfra/postgres:15'.");
            }

            images[child.Key] = reference!;
        }

        return images;
    }

    private static string? ReadRegistry(IConfigurationSection section)
    {
        if (section.Value is null)
        {
            return null;
        }

        var value = section.Value.Trim().TrimEnd('/');
        if (!ImageReference.IsValidRegistry(value))
        {
            throw new FleetInfraConfigurationException(section.Path,
                $"'{section.Value}' is not a registry. Allowed: a host name with optional port and path, for example 'registry.example.com:5000/mirror' or 'localhost'.");
        }

        return value;
    }

    private const string RetryIntervalKey = "RetryInterval";

    private const string IntervalKey = "Interval";

    private const string AllowedDuration = "a positive duration in whole seconds up to 24h, as Flux writes it ('90s', '5m', '1h30m') or as a TimeSpan ('00:05:00')";

    private static (Dictionary<string, TimeSpan> Timeouts, Dictionary<string, TimeSpan> RetryIntervals, TimeSpan? DefaultRetryInterval,
        Dictionary<string, TimeSpan> Intervals, TimeSpan? DefaultInterval) ReadWaves(IConfigurationSection section)
    {
        var timeouts = new Dictionary<string, TimeSpan>(StringComparer.OrdinalIgnoreCase);
        var retryIntervals = new Dictionary<string, TimeSpan>(StringComparer.OrdinalIgnoreCase);
        var intervals = new Dictionary<string, TimeSpan>(StringComparer.OrdinalIgnoreCase);
        TimeSpan? defaultRetryInterval = null;
        TimeSpan? defaultInterval = null;
        foreach (var wave in section.GetChildren())
        {
            // FleetInfra:Waves:RetryInterval and FleetInfra:Waves:Interval (values, not sections) apply to every wave without its own.
            if (wave.Value is not null)
            {
                if (wave.Key.Equals(RetryIntervalKey, StringComparison.OrdinalIgnoreCase))
                {
                    defaultRetryInterval = ReadDuration(wave, "retry interval");
                }
                else if (wave.Key.Equals(IntervalKey, StringComparison.OrdinalIgnoreCase))
                {
                    defaultInterval = ReadDuration(wave, "drift interval");
                }
                else
                {
                    throw new FleetInfraConfigurationException(wave.Path,
                        $"unknown setting for all waves. Allowed: {SectionName}:Waves:{RetryIntervalKey}, {SectionName}:Waves:{IntervalKey}, or per wave {SectionName}:Waves:<wave>:Timeout, :{RetryIntervalKey} and :{IntervalKey}.");
                }

                continue;
            }

            foreach (var setting in wave.GetChildren())
            {
                if (setting.Key.Equals("Timeout", StringComparison.OrdinalIgnoreCase))
                {
                    timeouts[wave.Key] = ReadDuration(setting, "timeout");
                }
                else if (setting.Key.Equals(RetryIntervalKey, StringComparison.OrdinalIgnoreCase))
                {
                    retryIntervals[wave.Key] = ReadDuration(setting, "retry interval");
                }
                else if (setting.Key.Equals(IntervalKey, StringComparison.OrdinalIgnoreCase))
                {
                    intervals[wave.Key] = ReadDuration(setting, "drift interval");
                }
                else
                {
                    throw new FleetInfraConfigurationException(setting.Path, $"unknown wave setting. Allowed: Timeout, {RetryIntervalKey}, {IntervalKey}.");
                }
            }
        }

        return (timeouts, retryIntervals, defaultRetryInterval, intervals, defaultInterval);
    }

    private static TimeSpan ReadDuration(IConfigurationSection setting, string what) =>
        TryParseDuration(setting.Value, out var duration)
            ? duration
            : throw new FleetInfraConfigurationException(setting.Path, $"'{setting.Value}' is not a {what}. Allowed: {AllowedDuration}.");

    private static FleetLifetime ReadLifetime(IConfigurationSection section)
    {
        if (section.Value is null)
        {
            return FleetLifetime.Session;
        }

        if (!Enum.TryParse<FleetLifetime>(section.Value, ignoreCase: true, out var lifetime) || !Enum.IsDefined(lifetime))
        {
            throw new FleetInfraConfigurationException(section.Path,
                $"'{section.Value}' is not a lifetime. Allowed: {string.Join(", ", Enum.GetNames<FleetLifetime>())}.");
        }

        return lifetime;
    }

    /// <summary>The value of a port override that lets Aspire choose a free host port.</summary>
    public const string AutoPort = "auto";

    private const string AllowedPort = "an integer from 1 to 65535, or 'auto' (Aspire picks a free port)";

    private static List<PortOverride> ReadPorts(IConfigurationSection section)
    {
        if (section.Value is not null)
        {
            throw new FleetInfraConfigurationException(section.Path,
                $"a port belongs to a resource. Allowed: {section.Path}:<resource> or {section.Path}:<resource>:<endpoint>, each {AllowedPort}.");
        }

        var ports = new List<PortOverride>();
        foreach (var resource in section.GetChildren())
        {
            // FleetInfra:Ports:postgres=5433 and FleetInfra:Ports:traefik:web=8001 (a resource with several endpoints).
            if (resource.Value is not null)
            {
                ports.Add(new PortOverride(resource.Path, resource.Key, null, ReadPort(resource)));
            }

            foreach (var endpoint in resource.GetChildren())
            {
                if (endpoint.Value is null)
                {
                    throw new FleetInfraConfigurationException(endpoint.Path,
                        $"too deep. Allowed: {section.Path}:<resource> or {section.Path}:<resource>:<endpoint>, each {AllowedPort}.");
                }

                ports.Add(new PortOverride(endpoint.Path, resource.Key, endpoint.Key, ReadPort(endpoint)));
            }
        }

        return ports;
    }

    private static int? ReadPort(IConfigurationSection setting)
    {
        var value = setting.Value?.Trim();
        if (string.Equals(value, AutoPort, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? port
            : throw new FleetInfraConfigurationException(setting.Path, $"'{setting.Value}' is not a port. Allowed: {AllowedPort}.");
    }

    [GeneratedRegex(@"^(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?(?:(?<s>\d+)s)?$")]
    private static partial Regex GoDuration();

    /// <summary>Parses a Flux/Go style duration (<c>5m</c>, <c>1h30m</c>, <c>90s</c>) or a TimeSpan.</summary>
    public static bool TryParseDuration(string? value, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var match = GoDuration().Match(value.Trim());
        if (match.Success && match.Length > 0)
        {
            var parts = new[] { "h", "m", "s" }.Select(name => match.Groups[name].Success ? match.Groups[name].Value : "0").ToArray();
            if (!parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100_000))
            {
                return false;
            }

            duration = new TimeSpan(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
        }
        else if (!TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out duration))
        {
            return false;
        }

        // Whole seconds only: Flux durations here are written in seconds, and a fraction would be lost.
        return duration > TimeSpan.Zero && duration <= TimeSpan.FromHours(24) && duration.Ticks % TimeSpan.TicksPerSecond == 0;
    }

    /// <summary>Formats a duration the way Flux writes it (<c>5m</c>, <c>1h30m</c>, <c>90s</c>).</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        var text = (duration.Hours + (duration.Days * 24) > 0 ? $"{duration.Hours + (duration.Days * 24)}h" : "")
            + (duration.Minutes > 0 ? $"{duration.Minutes}m" : "")
            + (duration.Seconds > 0 ? $"{duration.Seconds}s" : "");
        return text.Length == 0 ? "0s" : text;
    }
}

/// <summary>One <c>FleetInfra:Ports:*</c> setting.</summary>
/// <param name="Key">The configuration key it was given under (what an error names).</param>
/// <param name="Resource">The resource whose host port it sets.</param>
/// <param name="Endpoint">The endpoint; null for the resource's only endpoint with a fixed host port.</param>
/// <param name="Port">The host port; null for <c>auto</c> (Aspire picks a free one).</param>
public sealed record PortOverride(string Key, string Resource, string? Endpoint, int? Port);
