namespace FleetInfra.Hosting.Components.ClusterOnly;

/// <summary>
/// A component that exists only in a Kubernetes cluster (an operator, cluster configuration, a node agent).
/// Locally it is shown as "Cluster only" and counts as satisfied, so the waves around it complete;
/// it stays in the model so the GitOps publisher emits it. Its own <c>WaitFor</c> edges are only read by
/// publishing (Flux ordering); locally nothing starts, so nothing waits.
/// </summary>
/// <param name="name">The resource name.</param>
/// <param name="description">What the component does in the cluster.</param>
public sealed class ClusterOnlyResource(string name, string description) : Resource(name), IResourceWithoutLifetime, IResourceWithWaitSupport
{
    /// <summary>State text shown in the dashboard.</summary>
    public const string StateText = "Cluster only";

    /// <summary>What the component does in the cluster.</summary>
    public string Description { get; } = description;
}
