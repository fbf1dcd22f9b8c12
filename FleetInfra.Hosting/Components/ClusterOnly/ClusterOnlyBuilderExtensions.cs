using FleetInfra.Hosting.Components.ClusterOnly;
using FleetInfra.Hosting.Components;
using FleetInfra.Hosting.Publishing;
// Builder extensions live in FleetInfra.Hosting (like Aspire's in Aspire.Hosting): one using reaches every component's API.
namespace FleetInfra.Hosting;

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
