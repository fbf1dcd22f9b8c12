using k8s;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing;

/// <summary>In the cluster, the component is installed from <paramref name="Chart"/>; components sharing a chart share one release.</summary>
/// <param name="Chart">The chart.</param>
/// <param name="Part">The part of the chart the component switches on (one of <see cref="HelmChart.Parts"/>), if any.</param>
public sealed record HelmChartAnnotation(HelmChart Chart, HelmChartPart? Part = null) : IResourceAnnotation;

/// <summary>Places the component's objects in <paramref name="Namespace"/> instead of the default one.</summary>
/// <param name="Namespace">The namespace; some wave must create it (the publish lint checks).</param>
public sealed record KubernetesNamespaceAnnotation(string Namespace) : IResourceAnnotation;

/// <summary>The admin password a chart-installed UI signs in with; in the cluster it arrives through an ExternalSecret.</summary>
/// <param name="Password">The secret parameter (provided to Secrets Manager by a secret source, <see cref="SecretSourceAnnotation"/>).</param>
public sealed record ChartAdminPasswordAnnotation(ParameterResource Password) : IResourceAnnotation;

/// <summary>Marks the component that becomes the cluster configuration: namespaces, RBAC, quotas, network policies, secret store.</summary>
public sealed class ClusterConfigurationAnnotation : IResourceAnnotation;

/// <summary>Changes the objects published for a component before the lint runs.</summary>
/// <param name="Customize">Receives the component's objects; may edit, add or remove them.</param>
public sealed record FluxManifestsAnnotation(Action<FluxComponentManifests> Customize) : IResourceAnnotation;

/// <summary>The objects published for one component in one cluster overlay.</summary>
public sealed class FluxComponentManifests
{
    internal FluxComponentManifests(IResource component, string cluster, List<IKubernetesObject<V1ObjectMeta>> objects)
    {
        Component = component;
        Cluster = cluster;
        Objects = objects;
    }

    /// <summary>The component.</summary>
    public IResource Component { get; }

    /// <summary>The cluster overlay being built (<c>development</c>, <c>production</c>).</summary>
    public string Cluster { get; }

    /// <summary>The objects, editable.</summary>
    public List<IKubernetesObject<V1ObjectMeta>> Objects { get; }

    /// <summary>The first object of type <typeparamref name="T"/>, or null.</summary>
    public T? Get<T>() where T : class, IKubernetesObject<V1ObjectMeta> => Objects.OfType<T>().FirstOrDefault();
}

/// <summary>
/// The component's own cluster form: the publisher calls <paramref name="WriteAsync"/> instead of the generic workload.
/// Set by the component's own folder (its <c>PublishAs…</c> extension), so Publishing knows no component.
/// </summary>
/// <param name="WriteAsync">Adds the component's objects for the cluster overlay being built.</param>
internal sealed record FluxPublishAnnotation(Func<IResource, FluxBuildContext, Task> WriteAsync) : IResourceAnnotation;

/// <summary>Builder extension that sets a component's own cluster form.</summary>
internal static class FluxPublishExtensions
{
    /// <summary>Publishes <typeparamref name="T"/> with <paramref name="write"/> (replaces an earlier cluster form).</summary>
    public static IResourceBuilder<T> PublishAsFlux<T>(this IResourceBuilder<T> builder, Func<T, FluxBuildContext, Task> write) where T : IResource =>
        builder.WithAnnotation(new FluxPublishAnnotation((resource, context) => write((T)resource, context)), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>Synchronous form of <see cref="PublishAsFlux{T}(IResourceBuilder{T}, Func{T, FluxBuildContext, Task})"/>.</summary>
    public static IResourceBuilder<T> PublishAsFlux<T>(this IResourceBuilder<T> builder, Action<T, FluxBuildContext> write) where T : IResource =>
        builder.PublishAsFlux<T>((resource, context) =>
        {
            write(resource, context);
            return Task.CompletedTask;
        });
}

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

/// <summary>Credentials generated in the cluster, standing in for the model's local user name and password.</summary>
/// <param name="Secret">The Kubernetes Secret with <c>username</c> and <c>password</c>.</param>
/// <param name="Password">The model's password parameter they replace.</param>
/// <param name="UserNameExpression">The value expression of the model's local user name they replace.</param>
/// <param name="UserName">The user name the cluster creates, when it is fixed (clients that cannot read the Secret, e.g. a UI's server list).</param>
internal sealed record ClusterCredentials(string Secret, Func<ParameterResource?> Password, Func<string> UserNameExpression, string? UserName = null);

/// <summary>A metrics endpoint a scraper reaches in the cluster.</summary>
/// <param name="Resource">The component whose metrics these are.</param>
/// <param name="Namespace">The namespace of the pods that serve them.</param>
/// <param name="Host">The service host the scraper connects to.</param>
/// <param name="Port">The port (service and pods).</param>
/// <param name="Path">The metrics path.</param>
/// <param name="PodName">The <c>app.kubernetes.io/name</c> of the pods that serve them.</param>
internal sealed record ScrapeTarget(IResource Resource, string Namespace, string Host, int Port, string Path, string PodName);

/// <summary>
/// The component scrapes metrics of others in the cluster: network policies admit its pods on each target's port (a
/// chart's pods by a policy of their own, since the chart, not FleetInfra, runs them).
/// </summary>
/// <param name="Targets">What it scrapes in the cluster overlay being built.</param>
internal sealed record ClusterScraperAnnotation(Func<FluxBuildContext, IEnumerable<ScrapeTarget>> Targets) : IResourceAnnotation;

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

/// <summary>
/// Environment variables a component takes from the public URL of its route (where the cluster's ingress serves it behind TLS
/// under its own host name: the production cluster), e.g. the base URL of its webhooks.
/// </summary>
/// <param name="Variables">The variables for a public URL.</param>
public sealed record PublicUrlEnvironmentAnnotation(Func<Uri, IReadOnlyDictionary<string, string>> Variables) : IResourceAnnotation;

/// <summary>
/// The component stands in for AWS (S3, Secrets Manager) inside cluster overlays that emulate AWS
/// (<see cref="FluxClusterDefinition.EmulatesAws"/>): their region and endpoints are its own.
/// </summary>
/// <param name="DisplayName">How the tree's README names it.</param>
/// <param name="Region">The region clients sign their requests for.</param>
/// <param name="Endpoint">Its in-cluster endpoint for S3 and Secrets Manager.</param>
internal sealed record ClusterAwsEmulatorAnnotation(string DisplayName, string Region, Func<string> Endpoint) : IResourceAnnotation;

/// <summary>
/// The component provides parameters to the cluster as Secrets Manager secrets (it seeds them): ExternalSecrets read
/// the remote key it gives a parameter.
/// </summary>
/// <param name="RemoteKey">The Secrets Manager name of a parameter, or null when it does not provide it.</param>
/// <param name="Fix">The builder call that would provide a parameter (for error messages).</param>
internal sealed record SecretSourceAnnotation(Func<ParameterResource, string?> RemoteKey, Func<ParameterResource, string> Fix) : IResourceAnnotation;

/// <summary>What a component adds to a paragraph of the published tree's README.</summary>
/// <param name="Section">The paragraph (<see cref="FluxReadmeSections"/>).</param>
/// <param name="Text">The text, in the paragraph's own form (see each section).</param>
internal sealed record FluxReadmeAnnotation(string Section, string Text) : IResourceAnnotation;

/// <summary>The README paragraphs components add to.</summary>
internal static class FluxReadmeSections
{
    /// <summary>A sentence on credentials the cluster generates instead of Secrets Manager (ends with a space).</summary>
    public const string GeneratedCredentials = "secrets.generated";

    /// <summary>The name of what generates Secrets in the cluster for the component (an operator), as the publish lint accepts them.</summary>
    public const string SecretGenerator = "lint.secret-generator";
}
