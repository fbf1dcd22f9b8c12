namespace FleetInfra.Hosting.Components.Traefik;

/// <summary>Traefik's file-provider configuration, generated from the routes in the model.</summary>
internal static class TraefikDynamicConfiguration
{
    public static string Render(IEnumerable<IResource> resources)
    {
        var routers = new SortedDictionary<string, Router>(StringComparer.Ordinal);
        var services = new SortedDictionary<string, Service>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            foreach (var route in resource.Annotations.OfType<TraefikRouteAnnotation>())
            {
                routers[resource.Name] = new Router($"Host(`{TraefikRouteAnnotation.HostFor(resource)}`)", [TraefikResource.WebEndpointName], resource.Name);
                services[resource.Name] = new Service(new LoadBalancer([new Server($"http://{resource.NetworkAddress(route.EndpointName)}")]));
            }
        }

        return FleetYaml.Serialize(new DynamicConfig(new HttpSection(routers, services)));
    }

    private sealed record DynamicConfig(HttpSection Http);

    private sealed record HttpSection(IDictionary<string, Router> Routers, IDictionary<string, Service> Services);

    private sealed record Router(string Rule, string[] EntryPoints, string Service);

    private sealed record Service(LoadBalancer LoadBalancer);

    private sealed record LoadBalancer(Server[] Servers);

    private sealed record Server(string Url);
}
