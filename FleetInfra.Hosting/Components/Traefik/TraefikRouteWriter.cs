using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Workloads;
using FleetInfra.Hosting.Publishing.Manifests;

namespace FleetInfra.Hosting.Components.Traefik;

/// <summary>
/// Traefik as the cluster's ingress (<see cref="ClusterIngressAnnotation"/>): an IngressRoute per routed component, basic
/// authentication in front of UIs without a login of their own, and what network policies and the tree's README say of it.
/// </summary>
internal static class TraefikRouteWriter
{
    /// <summary>Name of the basic-auth Secret and Middleware of a UI without its own login (prefixed with the component).</summary>
    private const string BasicAuthName = "basic-auth";

    /// <summary>The Secrets Manager entry with the htpasswd lines (bcrypt) of the people who may open those UIs.</summary>
    public static readonly string BasicAuthRemoteKey = SecretNames.RemoteKey("ui-basic-auth-users");

    /// <summary>The ingress declaration of <paramref name="traefik"/>.</summary>
    public static ClusterIngressAnnotation Ingress(TraefikResource traefik) => new(
        RouteEndpoint: resource => resource.Annotations.OfType<TraefikRouteAnnotation>().LastOrDefault()?.EndpointName,
        PublicPorts: cluster => cluster.Tls
            ? [FluxBuildContext.TargetPort(traefik, TraefikResource.WebEndpointName), TraefikChart.WebsecurePort]
            : [FluxBuildContext.TargetPort(traefik, TraefikResource.WebEndpointName)],
        WriteRoutes: WriteRoutes,
        Readme: cluster => cluster.EmulatesAws
            ? ("not needed (kind, bare metal)", $"plain HTTP: Traefik's `web` entrypoint on NodePort {TraefikChart.DevelopmentWebNodePort} (kind: `extraPortMappings` to it)")
            : ("required: the AWS Load Balancer Controller (v2.2 or later) makes Traefik's `LoadBalancer` Service an internet-facing NLB with IP targets (its annotations are in the HelmRelease)", cluster.Tls
                ? $"TLS on `{TraefikChart.WebsecureEntryPoint}` with the certificate for `*.{cluster.Domain}` from Secrets Manager (`{TraefikDefaultCertificate.CertificateRemoteKey}`: PEM chain, `{TraefikDefaultCertificate.PrivateKeyRemoteKey}`: PEM key) as Traefik's TLSStore `default`; plain HTTP redirects; UIs without a login of their own ask for the users in `{BasicAuthRemoteKey}` (htpasswd lines, bcrypt: `htpasswd -nB <user>`)"
                : "Traefik's `web` entrypoint on the load balancer"));

    private static void WriteRoutes(FluxBuildContext context, IReadOnlyList<IResource> components)
    {
        foreach (var component in components)
        {
            if (component.Annotations.OfType<TraefikRouteAnnotation>().LastOrDefault() is not { } route)
            {
                continue;
            }

            var (service, port) = HelmReleaseWriter.RoutedService(component) is { } chart
                ? (chart.Service, chart.Port)
                : (FluxBuildContext.ServiceName(component), FluxBuildContext.TargetPort(component, route.EndpointName));
            var file = FluxBuildContext.FileOf(component);
            var basicAuth = route.RequireLogin && context.Cluster.Tls;
            if (basicAuth)
            {
                WriteBasicAuth(context, component, file);
            }

            context.Add(component, file, Route(context, component, service, port, basicAuth ? $"{component.Name}-{BasicAuthName}" : null));
        }
    }

    /// <summary>
    /// The IngressRoute of a routed component, answering on <c>&lt;name&gt;.&lt;cluster domain&gt;</c>: plain HTTP in
    /// development, TLS (Traefik's default certificate) where the cluster serves TLS.
    /// </summary>
    private static CustomObject<IngressRouteSpec> Route(FluxBuildContext context, IResource resource, string service, int port, string? middleware) =>
        Crd.Create("traefik.io/v1alpha1", "IngressRoute",
            context.Meta(resource, resource.Name),
            new IngressRouteSpec([context.Cluster.Tls ? TraefikChart.WebsecureEntryPoint : TraefikResource.WebEndpointName],
                [new IngressRouteRule($"Host(`{ContainerSpecs.PublicHost(context, resource)}`)", "Rule", [new IngressRouteService(service, port)],
                    middleware is null ? null : [new NamedRef(middleware)])],
                context.Cluster.Tls ? new IngressRouteTls() : null));

    /// <summary>
    /// A Traefik basicAuth Middleware in front of a UI without a login of its own, with its users from Secrets Manager
    /// through an ExternalSecret (one key, as Traefik requires). Per component: a route may only use a Middleware of its own
    /// namespace, and one made by another wave would race it.
    /// </summary>
    private static void WriteBasicAuth(FluxBuildContext context, IResource component, string file)
    {
        var ns = context.NamespaceOf(component);
        var name = $"{component.Name}-{BasicAuthName}";
        var labels = context.Labels(component);
        context.Add(component, file, FluxBuildContext.ExternalSecret(ns, name, labels,
            [new ExternalSecretData("users", new ExternalSecretRemoteRef(BasicAuthRemoteKey))]));
        var middleware = context.Add(component, file, Crd.Create("traefik.io/v1alpha1", "Middleware",
            context.Meta(component, name), new MiddlewareSpec(new BasicAuth(name, RemoveHeader: true))));
        middleware.References.Add(new FluxReference("Secret", ns, name, "spec.basicAuth.secret"));
    }
}
