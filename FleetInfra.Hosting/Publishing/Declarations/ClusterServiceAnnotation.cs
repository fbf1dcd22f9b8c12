namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// How other components reach this one in the cluster when its own cluster form makes the service (often an operator's,
/// e.g. a database cluster's read-write Service): service name and port, the pods behind it, generated credentials,
/// and the ports its own pods and its operator talk on. Network policies, connection wiring and UIs read it.
/// </summary>
/// <param name="ServiceName">The Service other components connect to.</param>
/// <param name="Port">Its port (and the pods' port).</param>
/// <param name="PodLabels">Labels of the pods behind the Service.</param>
/// <param name="Credentials">Credentials the cluster generates for it, if any.</param>
/// <param name="PeerPorts">Ports its pods and <paramref name="Operator"/> use between each other (replication, status).</param>
/// <param name="Operator">The chart whose controller manages the pods.</param>
internal sealed record ClusterServiceAnnotation(
    string ServiceName,
    int Port,
    IReadOnlyDictionary<string, string> PodLabels,
    ClusterCredentials? Credentials = null,
    IReadOnlyList<int>? PeerPorts = null,
    HelmChart? Operator = null) : IResourceAnnotation
{
    /// <summary>A fresh selector of <see cref="PodLabels"/>.</summary>
    public k8s.Models.V1LabelSelector Selector() => new() { MatchLabels = new Dictionary<string, string>(PodLabels) };
}
