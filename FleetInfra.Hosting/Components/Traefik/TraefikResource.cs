namespace FleetInfra.Hosting.Components.Traefik;

/// <summary>Traefik, the ingress controller: routes <c>&lt;name&gt;.localhost</c> to each UI of the stack.</summary>
public sealed class TraefikResource(string name) : ContainerResource(name)
{
    /// <summary>The endpoint serving the dashboard, API, ping and metrics (Traefik's "traefik" entrypoint).</summary>
    public const string DashboardEndpointName = "dashboard";

    /// <summary>The endpoint serving routed traffic (entrypoint "web").</summary>
    public const string WebEndpointName = "web";

    /// <summary>Port of the "traefik" entrypoint inside the container.</summary>
    internal const int DashboardTargetPort = 8080;

    /// <summary>Port of the "web" entrypoint inside the container (unprivileged on purpose).</summary>
    internal const int WebTargetPort = 8000;

    /// <summary>Folder of the file provider inside the container.</summary>
    internal const string DynamicConfigDirectory = "/etc/traefik/dynamic";

    private EndpointReference? _web;

    /// <summary>The routed-traffic endpoint.</summary>
    public EndpointReference WebEndpoint => _web ??= new(this, WebEndpointName);
}

/// <summary>Asks Traefik to route <c>&lt;resource&gt;.localhost</c> to an HTTP endpoint of the resource.</summary>
/// <param name="EndpointName">The endpoint of the routed resource.</param>
/// <param name="Traefik">The ingress that serves the route.</param>
/// <param name="RequireLogin">The UI has no login of its own: in production Traefik asks for credentials in front of it.</param>
public sealed record TraefikRouteAnnotation(string EndpointName, TraefikResource Traefik, bool RequireLogin = false) : IResourceAnnotation
{
    /// <summary>The host name a route answers on.</summary>
    public static string HostFor(IResource resource) => $"{resource.Name}.localhost";
}
