using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Lint;
using FleetInfra.Hosting.Publishing.Manifests;

namespace FleetInfra.Hosting.Components.Traefik;

/// <summary>
/// route-tls, the publish lint's check of Traefik's routes: a cluster that serves TLS has no plain-HTTP route, and a
/// route's middlewares exist in its namespace.
/// </summary>
internal sealed class RouteTlsRule : IFluxLintRule
{
    public string Name => "route-tls";

    public void Check(FluxLintContext context, FluxObject o)
    {
        if (o.Value is not CustomObject<IngressRouteSpec> { Spec: var route })
        {
            return;
        }

        var ns = o.Value.Metadata.NamespaceProperty;
        if (context.Build.Cluster.Tls && (route.Tls is null || route.EntryPoints.Any(e => e != TraefikChart.WebsecureEntryPoint)))
        {
            context.Report(o, $"the route serves plain HTTP (entryPoints {string.Join(", ", route.EntryPoints)}{(route.Tls is null ? ", no tls" : "")}) in a cluster that serves TLS; its UI and credentials would cross the network unencrypted",
                $"route on the '{TraefikChart.WebsecureEntryPoint}' entrypoint with tls (as the route writer does)");
        }

        foreach (var name in route.Routes.SelectMany(r => r.Middlewares ?? []).Select(m => m.Name))
        {
            if (context.Find("Middleware", ns, name) is null)
            {
                context.Report(o, $"middleware '{name}' does not exist in namespace '{ns}'; Traefik rejects the route", "create the Middleware in the route's namespace (cross-namespace references are disabled)");
            }
        }
    }
}
