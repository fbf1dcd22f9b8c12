namespace FleetInfra.Hosting.Components.Monitoring;

/// <summary>prometheus.yml, generated from the scrape declarations in the model.</summary>
internal static class PrometheusConfiguration
{
    public static string Render(PrometheusResource prometheus, IEnumerable<IResource> resources)
    {
        var jobs = new List<ScrapeConfig>
        {
            new("prometheus", "/metrics", [new StaticConfig([$"localhost:{PrometheusResource.HttpTargetPort}"], Labels(prometheus))]),
        };

        foreach (var resource in resources.Where(r => r != prometheus).OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            foreach (var scrape in resource.Annotations.OfType<PrometheusScrapeAnnotation>())
            {
                jobs.Add(new ScrapeConfig(resource.Name, scrape.Path, [new StaticConfig([resource.NetworkAddress(scrape.EndpointName)], Labels(resource))]));
            }
        }

        return FleetYaml.SerializeSnakeCase(new Config(new GlobalConfig("15s", "15s"), jobs));
    }

    private static Dictionary<string, string> Labels(IResource resource) => new()
    {
        ["app_kubernetes_io_name"] = resource.Name,
        ["app_kubernetes_io_part_of"] = "fleet-infra",
    };

    private sealed record Config(
        GlobalConfig Global,
        IReadOnlyList<ScrapeConfig> ScrapeConfigs);

    private sealed record GlobalConfig(
        string ScrapeInterval,
        string EvaluationInterval);

    private sealed record ScrapeConfig(
        string JobName,
        string MetricsPath,
        IReadOnlyList<StaticConfig> StaticConfigs);

    private sealed record StaticConfig(string[] Targets, IDictionary<string, string> Labels);
}
