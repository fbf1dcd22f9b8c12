using FleetInfra.Hosting.Publishing;

namespace FleetInfra.Hosting.Components.Monitoring;

/// <summary>
/// Where a chart serves a component's metrics in the cluster, instead of the component's own service:
/// <paramref name="Service"/> (the chart's metrics service), or null when the chart scrapes them itself (its own ServiceMonitor).
/// </summary>
/// <param name="Service">The chart's metrics service and pods, or null.</param>
internal sealed record ClusterMetricsAnnotation(ChartService? Service) : IResourceAnnotation;

/// <summary>What Prometheus scrapes in the cluster: the model's scrape declarations (<see cref="PrometheusScrapeAnnotation"/>).</summary>
internal static class PrometheusClusterScrape
{
    /// <summary>The scrape targets of the cluster overlay: FleetInfra workloads on their service, chart-served metrics where the chart says.</summary>
    public static IEnumerable<ScrapeTarget> Targets(FluxBuildContext context)
    {
        foreach (var resource in FluxPublisher.Components(context.Model).Where(r => r is not PrometheusResource))
        {
            foreach (var scrape in resource.Annotations.OfType<PrometheusScrapeAnnotation>())
            {
                if (resource.Annotations.OfType<ClusterMetricsAnnotation>().LastOrDefault() is { } metrics)
                {
                    if (metrics.Service is { } chart)
                    {
                        yield return new(resource, chart.Namespace, $"{chart.Service}.{chart.Namespace}.svc.cluster.local", chart.Port, scrape.Path, chart.PodName);
                    }

                    continue;
                }

                var ns = context.NamespaceOf(resource);
                yield return new(resource, ns, $"{FluxBuildContext.ServiceName(resource)}.{ns}.svc.cluster.local", FluxBuildContext.TargetPort(resource, scrape.EndpointName), scrape.Path, resource.Name);
            }
        }
    }
}
