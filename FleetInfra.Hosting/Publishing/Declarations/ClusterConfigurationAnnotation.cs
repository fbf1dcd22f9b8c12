namespace FleetInfra.Hosting.Publishing;

/// <summary>Marks the component that becomes the cluster configuration: namespaces, RBAC, quotas, network policies, secret store.</summary>
public sealed class ClusterConfigurationAnnotation : IResourceAnnotation;
