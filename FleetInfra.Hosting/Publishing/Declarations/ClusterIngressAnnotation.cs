namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// The component is the cluster's ingress: it writes the routes of the components routed through it, is reachable from
/// anywhere on its public ports, and routed components admit its pods on their routed port.
/// </summary>
/// <param name="RouteEndpoint">The endpoint a component is routed on, or null when it is not routed.</param>
/// <param name="PublicPorts">The container ports it takes traffic on in a cluster overlay.</param>
/// <param name="WriteRoutes">Writes the routes (and what they need) of the given components.</param>
/// <param name="Readme">The load-balancer and ingress cells of a cluster overlay in the tree's README.</param>
internal sealed record ClusterIngressAnnotation(
    Func<IResource, string?> RouteEndpoint,
    Func<FluxCluster, IReadOnlyList<int>> PublicPorts,
    Action<FluxBuildContext, IReadOnlyList<IResource>> WriteRoutes,
    Func<FluxCluster, (string LoadBalancer, string Ingress)> Readme) : IResourceAnnotation;
