using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Probes;
using FleetInfra.Hosting.Publishing;

namespace FleetInfra.Hosting.Components.Projects;

/// <summary>
/// What every .NET project in a wave gets (a team's API or worker on <c>FleetInfra.ServiceDefaults</c>), so that
/// <c>AddProject&lt;T&gt;(…).WithReference(…).InWave(…)</c> is all a service needs: probes on the service defaults' health
/// endpoints and, when publishing, its image parameter. Called by <c>InWave</c>.
/// </summary>
public static class ServiceProjects
{
    /// <summary>ServiceDefaults' readiness endpoint: every check (<c>MapDefaultEndpoints</c>).</summary>
    public const string ReadinessPath = "/health";

    /// <summary>ServiceDefaults' liveness endpoint: the checks tagged <c>live</c>.</summary>
    public const string LivenessPath = "/alive";

    /// <summary>The port a project's HTTP endpoint listens on in the cluster, unless it sets a target port itself.</summary>
    public const int ClusterHttpPort = 8080;

    /// <summary>The publish parameter with the project's container image.</summary>
    public static string ImageParameterName(IResource project) => $"{project.Name}-image";

    /// <summary>
    /// Declares the project's defaults: readiness on <see cref="ReadinessPath"/> (also the local health check the wave
    /// waits for) and liveness on <see cref="LivenessPath"/> of its HTTP endpoint, unless it declares probes itself; in
    /// publish mode the required parameter <c>&lt;resource&gt;-image</c> and <see cref="ClusterHttpPort"/> as its HTTP endpoint's target port.
    /// </summary>
    public static void Declare(IDistributedApplicationBuilder app, ProjectResource project)
    {
        var builder = app.CreateResourceBuilder(project);
        if (!project.Annotations.OfType<ProbeAnnotation>().Any() && HttpEndpoint(project) is { } endpoint)
        {
            builder.WithHttpReadinessProbe(ReadinessPath, endpoint).WithHttpLivenessProbe(LivenessPath, endpoint);
        }

        if (app.ExecutionContext.IsPublishMode && HttpEndpoint(project) is { } http && project.Annotations.OfType<EndpointAnnotation>().First(e => e.Name == http) is { TargetPort: null } unset)
        {
            // A launch profile's endpoint has a host port only; in the cluster the service listens where the .NET images
            // bind ASP.NET Core (ASPNETCORE_HTTP_PORTS=8080, dotnet/dotnet-docker src/runtime-deps/10.0/*/Dockerfile).
            unset.TargetPort = ClusterHttpPort;
        }

        if (app.ExecutionContext.IsPublishMode)
        {
            // Publishing gives a project an https endpoint as well; in the cluster TLS ends at the ingress and the pod serves
            // plain HTTP (a pod listening on https would need a certificate the tree does not have).
            foreach (var https in project.Annotations.OfType<EndpointAnnotation>().Where(e => e.UriScheme == "https" && e.Name != HttpEndpoint(project)).ToList())
            {
                project.Annotations.Remove(https);
            }
        }

        if (app.ExecutionContext.IsPublishMode && !project.HasAnnotationOfType<ProjectImageAnnotation>())
        {
            // Required like an IAM role's ARN: publishing without it stops before anything runs, naming it with every other
            // missing publish value (PublishParameters.Check); configuration (Parameters:<resource>-image) sets it.
            var image = app.AddRequiredPublishParameter(ImageParameterName(project),
                "its container image: build and push it with dotnet publish -t:PublishContainer, docs/adding-a-service.md");
            builder.WithAnnotation(new ProjectImageAnnotation(image.Resource), ResourceAnnotationMutationBehavior.Replace);
        }
    }

    /// <summary>The endpoint the service defaults are served on: <c>http</c>, else the first HTTP(S) one.</summary>
    private static string? HttpEndpoint(ProjectResource project)
    {
        var endpoints = project.Annotations.OfType<EndpointAnnotation>().ToList();
        return (endpoints.FirstOrDefault(e => e.Name == "http") ?? endpoints.FirstOrDefault(e => e.UriScheme is "http" or "https"))?.Name;
    }
}
