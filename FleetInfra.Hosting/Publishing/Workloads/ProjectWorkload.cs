using FleetInfra.Hosting.Components.Projects;

namespace FleetInfra.Hosting.Publishing.Workloads;

/// <summary>
/// A .NET project as a generic workload: the image from its publish parameter (<see cref="ProjectImageAnnotation"/>) and a
/// default profile for ASP.NET Core services (a project can declare its own with a <see cref="ClusterWorkloadProfileAnnotation"/>).
/// </summary>
internal static class ProjectWorkload
{
    /// <summary>
    /// The default size of a service: 100m/256Mi requested, 1 CPU/512Mi at most (under production's per-container
    /// LimitRange maximum of 1 CPU/2Gi). Images from <c>dotnet publish -t:PublishContainer</c> run as the non-root
    /// <c>app</c> user, uid 1654 (dotnet/dotnet-docker documentation/ubuntu-chiseled.md and the <c>APP_UID</c> of the
    /// .NET 8+ images; the SDK's container targets default <c>ContainerUser</c> to it). The root filesystem is read-only;
    /// <c>/tmp</c> is writable (ASP.NET Core and the runtime write there).
    /// </summary>
    public static readonly ClusterWorkloadProfile Profile = new(Cpu: "100m", Memory: "256Mi", CpuLimit: "1", MemoryLimit: "512Mi",
        User: 1654, ReadOnlyRoot: true, WritablePaths: ["/tmp"]);

    /// <summary>
    /// Aspire 13's per-property variables of the project's references (<c>APPDB_HOST</c>, <c>APPDB_USERNAME</c>, <c>REDIS_URI</c>, …,
    /// from <see cref="IResourceWithConnectionString.GetConnectionProperties"/>): left out of the cluster. They describe the
    /// local service (its user name, its scheme), which the cluster replaces inside the connection string only
    /// (<see cref="ClusterValues"/>); .NET services read <c>ConnectionStrings:&lt;name&gt;</c> (Aspire's client integrations).
    /// </summary>
    public static HashSet<string> ConnectionPropertyVariables(ProjectResource project) =>
        project.Annotations.OfType<ResourceRelationshipAnnotation>()
            .Where(r => r.Type == "Reference")
            .Select(r => r.Resource).OfType<IResourceWithConnectionString>().Distinct()
            .SelectMany(r => r.GetConnectionProperties().Select(p => $"{r.Name}_{p.Key}".Replace('-', '_').ToUpperInvariant()))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The project's image: the value of its <c>&lt;resource&gt;-image</c> parameter; empty stops publishing, naming it.</summary>
    public static async Task<string> ImageAsync(ProjectResource project, FluxBuildContext context)
    {
        var name = ServiceProjects.ImageParameterName(project);
        var parameter = project.Annotations.OfType<ProjectImageAnnotation>().LastOrDefault()?.Image;
        string? value = null;
        if (parameter is not null)
        {
            try
            {
                value = await parameter.GetValueAsync(context.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                value = null; // Aspire's "missing parameter value": reported below with the project and the fix
            }
        }

        if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsWhiteSpace))
        {
            throw new FluxPublishException(
                $"'{project.Name}' (wave '{context.WaveOf(project)}'): parameter '{name}' (its container image) {(string.IsNullOrWhiteSpace(value) ? "has no value" : $"is not an image reference: '{value}'")}. " +
                $"Fix: build and push the image (dotnet publish -t:PublishContainer, docs/adding-a-service.md) and set Parameters:{name}=<registry>/<repository>:<tag> " +
                $"(user secrets, the AppHost's configuration or the environment variable Parameters__{name}).");
        }

        return value.Trim();
    }
}
