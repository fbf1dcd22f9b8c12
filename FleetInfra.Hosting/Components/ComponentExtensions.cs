namespace FleetInfra.Hosting.Components;

/// <summary>Helpers shared by the component builder extensions.</summary>
internal static class ComponentExtensions
{
    /// <summary>Sets registry, image and tag from one place (a component's image-tags class).</summary>
    public static IResourceBuilder<T> WithPinnedImage<T>(this IResourceBuilder<T> builder, string registry, string image, string tag)
        where T : ContainerResource =>
        builder.WithImage(image, tag).WithImageRegistry(registry);

    /// <summary>The port a container listens on for an endpoint - what other containers on the network dial.</summary>
    public static int TargetPort(this IResource resource, string endpointName)
    {
        var endpoint = resource.Annotations.OfType<EndpointAnnotation>().SingleOrDefault(e => e.Name == endpointName)
            ?? throw new InvalidOperationException($"Resource '{resource.Name}' has no endpoint '{endpointName}'.");
        return endpoint.TargetPort ?? endpoint.Port
            ?? throw new InvalidOperationException($"Endpoint '{endpointName}' of '{resource.Name}' has no port.");
    }

    /// <summary>The address other containers on the Aspire container network use for an endpoint.</summary>
    public static string NetworkAddress(this IResource resource, string endpointName) =>
        $"{resource.Name}:{resource.TargetPort(endpointName)}";
}

/// <summary>Declares how a component runs in the cluster as a generic workload (size, user, probes, writable paths).</summary>
internal static class ClusterProfileExtensions
{
    /// <summary>Sets the component's cluster profile (replaces an earlier one).</summary>
    public static IResourceBuilder<T> WithClusterProfile<T>(this IResourceBuilder<T> builder, Publishing.Workloads.ClusterWorkloadProfile profile)
        where T : ContainerResource =>
        builder.WithAnnotation(new Publishing.Workloads.ClusterWorkloadProfileAnnotation(profile), ResourceAnnotationMutationBehavior.Replace);
}
