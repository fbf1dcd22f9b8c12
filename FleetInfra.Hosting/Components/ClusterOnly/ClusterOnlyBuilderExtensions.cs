namespace FleetInfra.Hosting.Components.ClusterOnly;

/// <summary>Builder extensions for cluster-only components.</summary>
public static class ClusterOnlyBuilderExtensions
{
    /// <summary>Adds a component that only runs in a cluster; locally it is inert and satisfied.</summary>
    public static IResourceBuilder<ClusterOnlyResource> AddClusterOnly(this IDistributedApplicationBuilder builder, string name, string description)
    {
        // IResourceWithoutLifetime: Aspire skips it when resolving WaitFor, which is exactly "satisfied locally".
        return builder.AddResource(new ClusterOnlyResource(name, description))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "ClusterOnly",
                State = new ResourceStateSnapshot(ClusterOnlyResource.StateText, KnownResourceStateStyles.Info),
                Properties = [new("fleetinfra.description", description)],
            })
            .WithIconName("Cloud")
            .ExcludeFromManifest();
    }
}
