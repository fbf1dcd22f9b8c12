using FleetInfra.Hosting.Components.Monitoring;
using FleetInfra.Hosting.Components;
using FleetInfra.Hosting.Publishing;
using Microsoft.Extensions.DependencyInjection;
// Builder extensions live in FleetInfra.Hosting (like Aspire's in Aspire.Hosting): one using reaches every component's API.
namespace FleetInfra.Hosting;

/// <summary>Builder extensions for the local half of kube-prometheus-stack: Prometheus and Grafana.</summary>
public static class MonitoringBuilderExtensions
{
    /// <summary>Adds Prometheus; its scrape configuration is generated from the model when the container starts.</summary>
    public static IResourceBuilder<PrometheusResource> AddPrometheus(this IDistributedApplicationBuilder builder, string name, int? port = null)
    {
        var prometheus = new PrometheusResource(name);
        return builder.AddResource(prometheus)
            .WithPinnedImage(PrometheusContainerImageTags.Registry, PrometheusContainerImageTags.Image, PrometheusContainerImageTags.Tag)
            .WithHttpEndpoint(port: port, targetPort: PrometheusResource.HttpTargetPort, name: PrometheusResource.HttpEndpointName)
            .WithArgs("--config.file=/etc/prometheus/fleet-infra/prometheus.yml", "--storage.tsdb.path=/prometheus", "--web.enable-lifecycle")
            .WithContainerFiles("/etc/prometheus/fleet-infra", (context, _) =>
                Task.FromResult<IEnumerable<ContainerFileSystemItem>>(
                [
                    new ContainerFile { Name = "prometheus.yml", Contents = PrometheusConfiguration.Render(prometheus, context.Services.GetRequiredService<DistributedApplicationModel>().Resources) },
                ]))
            .WithHttpHealthCheck("/-/ready", endpointName: PrometheusResource.HttpEndpointName)
            .WithUrlForEndpoint(PrometheusResource.HttpEndpointName, u => u.DisplayText = "Prometheus")
            // In the cluster it scrapes the same declarations: network policies admit it on each target's port.
            .WithAnnotation(new Publishing.ClusterScraperAnnotation(PrometheusClusterScrape.Targets))
            // Kept with the data layer under FleetInfra:Lifetime=Persistent: otherwise it is the one container a warm
            // restart still creates. A changed prometheus.yml changes DCP's lifecycle key, so the container is then recreated.
            .WithAnnotation(new KeepBetweenRunsAnnotation());
    }

    /// <summary>Adds Grafana with an admin password parameter and a data volume.</summary>
    public static IResourceBuilder<GrafanaResource> AddGrafana(this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> adminPassword, int? port = null)
    {
        var grafana = builder.AddResource(new GrafanaResource(name, adminPassword.Resource))
            .WithPinnedImage(GrafanaContainerImageTags.Registry, GrafanaContainerImageTags.Image, GrafanaContainerImageTags.Tag)
            .WithHttpEndpoint(port: port, targetPort: GrafanaResource.HttpTargetPort, name: GrafanaResource.HttpEndpointName)
            .WithEnvironment("GF_SECURITY_ADMIN_USER", "admin")
            .WithEnvironment("GF_SECURITY_ADMIN_PASSWORD", adminPassword)
            .WithEnvironment("GF_ANALYTICS_REPORTING_ENABLED", "false")
            .WithEnvironment("GF_ANALYTICS_CHECK_FOR_UPDATES", "false")
            .WithHttpHealthCheck("/api/health", endpointName: GrafanaResource.HttpEndpointName)
            .WithPrometheusScrape(GrafanaResource.HttpEndpointName, "/metrics")
            // In the cluster its chart scrapes it (the chart's own ServiceMonitor).
            .WithAnnotation(new ClusterMetricsAnnotation(null))
            .WithUrlForEndpoint(GrafanaResource.HttpEndpointName, u => u.DisplayText = "Grafana");
        return grafana.WithVolume(VolumeNameGenerator.Generate(grafana, "data"), "/var/lib/grafana");
    }

    /// <summary>Provisions <paramref name="prometheus"/> as Grafana's default data source and starts Grafana after it.</summary>
    public static IResourceBuilder<GrafanaResource> WithDataSource(this IResourceBuilder<GrafanaResource> grafana, IResourceBuilder<PrometheusResource> prometheus)
    {
        // Rendered when the container is created, like prometheus.yml: a run that leaves Grafana out never pays for it.
        return grafana
            .WithContainerFiles("/etc/grafana/provisioning/datasources", (_, _) => Task.FromResult<IEnumerable<ContainerFileSystemItem>>(
            [
                new ContainerFile
                {
                    Name = "fleet-infra.yaml",
                    Contents = FleetYaml.Serialize(new DataSources(1,
                    [
                        new DataSource("Prometheus", "prometheus", "proxy", $"http://{prometheus.Resource.NetworkAddress(PrometheusResource.HttpEndpointName)}", true),
                    ])),
                },
            ]))
            .WithReferenceRelationship(prometheus)
            .WaitFor(prometheus);
    }

    private sealed record DataSources(int ApiVersion, DataSource[] Datasources);

    private sealed record DataSource(string Name, string Type, string Access, string Url, bool IsDefault);
}
