namespace FleetInfra.Benchmarks.DataLayerStart;

/// <summary>
/// Names and images of what the start benchmark creates. Everything is prefixed <c>fleetinfra-bench-</c> so it never
/// touches the integration tests' volumes (<c>fleetinfra-it-*</c>) or a developer's stack (<c>fleetinfra.apphost-*</c>).
/// </summary>
internal static class BenchNames
{
    public const string Prefix = "fleetinfra-bench";

    /// <summary>The data layer measured: the same three the integration tests start.</summary>
    public static readonly string[] DataLayer = ["postgres", "redis", "prometheus"];

    /// <summary>Everything else in the model is left out through FleetInfra:Exclude (as in the integration tests).</summary>
    public static readonly string[] Excluded = ["traefik", "localstack", "grafana", "n8n", "temporal-schema", "pgadmin", "redisinsight"];

    /// <summary>Container started by the AppHost for a resource.</summary>
    public static string AppHostContainer(string resource) => $"{Prefix}-{resource}";

    /// <summary>Volume mounted by the AppHost for a resource.</summary>
    public static string AppHostVolume(string resource) => $"{Prefix}-{resource}-data";

    /// <summary>Container started by the plain Aspire AppHost (no waves).</summary>
    public static string PlainContainer(string resource) => $"{Prefix}-plain-{resource}";

    /// <summary>Volume of the plain Aspire AppHost.</summary>
    public static string PlainVolume(string resource) => $"{Prefix}-plain-{resource}-data";

    /// <summary>Container started by the plain docker run baseline.</summary>
    public static string DirectContainer(string resource) => $"{Prefix}-direct-{resource}";

    /// <summary>Volume of the plain docker run baseline.</summary>
    public static string DirectVolume(string resource) => $"{Prefix}-direct-{resource}-data";

    /// <summary>
    /// Images: the CI images of eng/images.env (the one place that names them; FLEETINFRA_IMAGE_PREFIX, default
    /// localhost/fleetinfra) unless FLEETINFRA_BENCH_IMAGES (<c>postgres=…,redis=…</c>) says otherwise.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Images()
    {
        var prefix = Environment.GetEnvironmentVariable("FLEETINFRA_IMAGE_PREFIX") is { Length: > 0 } p ? p : "localhost/fleetinfra";
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(RepositoryRoot(), "eng", "images.env")))
        {
            var parts = line.Split('=', 2);
            if (parts.Length == 2 && parts[0].EndsWith("_IMAGE", StringComparison.Ordinal) && DataLayer.Contains(parts[0][..^"_IMAGE".Length]))
            {
                images[parts[0][..^"_IMAGE".Length]] = $"{prefix}/{parts[1].Trim()}";
            }
        }

        foreach (var pair in (Environment.GetEnvironmentVariable("FLEETINFRA_BENCH_IMAGES") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2);
            images[parts[0]] = parts.Length == 2 ? parts[1] : throw new InvalidOperationException($"FLEETINFRA_BENCH_IMAGES: '{pair}' is not <resource>=<image>.");
        }

        return images;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "eng", "images.env")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"eng/images.env not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>Everything the benchmark may have left behind: its own names only.</summary>
    public static IEnumerable<string> AllContainers => DataLayer.SelectMany(r => new[] { AppHostContainer(r), DirectContainer(r), PlainContainer(r) });

    /// <summary>Every volume the benchmark may have created.</summary>
    public static IEnumerable<string> AllVolumes => DataLayer.SelectMany(r => new[] { AppHostVolume(r), DirectVolume(r), PlainVolume(r) });
}
