using FleetInfra.Hosting.Components.Monitoring;
using FleetInfra.Hosting.Components.Traefik;
using FleetInfra.Hosting.Components;
using FleetInfra.Hosting.Publishing.Lint;
using FleetInfra.Hosting.Publishing;
using Microsoft.Extensions.DependencyInjection;
// Builder extensions live in FleetInfra.Hosting (like Aspire's in Aspire.Hosting): one using reaches every component's API.
namespace FleetInfra.Hosting;

/// <summary>Builder extensions for Traefik.</summary>
public static class TraefikBuilderExtensions
{
    /// <summary>
    /// Adds Traefik with its dashboard on <paramref name="dashboardPort"/> and routed traffic on <paramref name="webPort"/>.
    /// Routes come from <see cref="WithTraefikRoute{T}"/> on other resources and are written as a file-provider
    /// configuration when the container starts.
    /// </summary>
    public static IResourceBuilder<TraefikResource> AddTraefik(this IDistributedApplicationBuilder builder, string name, int? dashboardPort = null, int? webPort = null)
    {
        var traefik = new TraefikResource(name);
        return builder.AddResource(traefik)
            .WithPinnedImage(TraefikContainerImageTags.Registry, TraefikContainerImageTags.Image, TraefikContainerImageTags.Tag)
            .WithHttpEndpoint(port: dashboardPort, targetPort: TraefikResource.DashboardTargetPort, name: TraefikResource.DashboardEndpointName)
            .WithHttpEndpoint(port: webPort, targetPort: TraefikResource.WebTargetPort, name: TraefikResource.WebEndpointName)
            .WithArgs(
                "--api.dashboard=true",
                "--api.insecure=true", // dashboard without auth: local development only, never published
                "--ping=true",
                "--metrics.prometheus=true",
                $"--entrypoints.traefik.address=:{TraefikResource.DashboardTargetPort}",
                $"--entrypoints.web.address=:{TraefikResource.WebTargetPort}",
                $"--providers.file.directory={TraefikResource.DynamicConfigDirectory}",
                "--log.level=INFO")
            .WithContainerFiles(TraefikResource.DynamicConfigDirectory, (context, _) =>
                Task.FromResult<IEnumerable<ContainerFileSystemItem>>(
                [
                    new ContainerFile { Name = "fleet-infra-routes.yaml", Contents = TraefikDynamicConfiguration.Render(context.Services.GetRequiredService<DistributedApplicationModel>().Resources) },
                ]))
            .WithHttpHealthCheck("/ping", endpointName: TraefikResource.DashboardEndpointName)
            .WithPrometheusScrape(TraefikResource.DashboardEndpointName, "/metrics")
            // In the cluster Traefik is the ingress, and its chart serves the metrics on its own entrypoint and service.
            .WithAnnotation(TraefikRouteWriter.Ingress(traefik))
            .WithAnnotation(new FluxLintRuleAnnotation([new RouteTlsRule(), new DefaultCertificateRule()]))
            .WithAnnotation(new ClusterMetricsAnnotation(new(TraefikChart.Chart.Namespace, "traefik-metrics", TraefikChart.MetricsPort, TraefikChart.Chart.PodName!, TraefikChart.MetricsPort)))
            .WithUrlForEndpoint(TraefikResource.DashboardEndpointName, u => u.DisplayText = "Traefik dashboard")
            .WithUrlForEndpoint(TraefikResource.WebEndpointName, u => u.DisplayText = "Routed entrypoint (*.localhost)");
    }

    /// <summary>
    /// Routes <c>http://&lt;name&gt;.localhost:&lt;web port&gt;</c> through <paramref name="traefik"/> to the resource's
    /// <paramref name="endpointName"/> endpoint, and shows that URL in the dashboard. <paramref name="requireLogin"/>: the UI
    /// has no login of its own, so in production Traefik puts basic authentication in front of it.
    /// </summary>
    public static IResourceBuilder<T> WithTraefikRoute<T>(this IResourceBuilder<T> builder, IResourceBuilder<TraefikResource> traefik, string endpointName = "http", bool requireLogin = false)
        where T : IResourceWithEndpoints
    {
        builder.WithAnnotation(new TraefikRouteAnnotation(endpointName, traefik.Resource, requireLogin));
        builder.WithRelationship(traefik.Resource, "Route");
        return builder.WithUrls(context =>
        {
            // No URL when Traefik was excluded from the local run: its endpoint is then never allocated.
            var web = traefik.Resource.WebEndpoint;
            if (context.Resource is IResource resource && web.IsAllocated && resource.HasAnnotationOfType<TraefikRouteAnnotation>())
            {
                context.Urls.Add(new ResourceUrlAnnotation
                {
                    Url = $"http://{TraefikRouteAnnotation.HostFor(resource)}:{web.Port}",
                    DisplayText = $"{resource.Name} via Traefik",
                });
            }
        });
    }

    /// <summary>Sets environment variables from the public URL of the component's route (see <see cref="PublicUrlEnvironmentAnnotation"/>).</summary>
    public static IResourceBuilder<T> WithPublicUrlEnvironment<T>(this IResourceBuilder<T> builder, Func<Uri, IReadOnlyDictionary<string, string>> variables)
        where T : IResource =>
        builder.WithAnnotation(new PublicUrlEnvironmentAnnotation(variables), ResourceAnnotationMutationBehavior.Replace);
}
