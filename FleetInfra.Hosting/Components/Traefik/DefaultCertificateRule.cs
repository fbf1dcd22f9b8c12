using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Lint;
using FleetInfra.Hosting.Publishing.Manifests;

namespace FleetInfra.Hosting.Components.Traefik;

/// <summary>
/// default-certificate: in a cluster that serves TLS, a route with <c>tls: {}</c> gets Traefik's default certificate, so the
/// cluster must have Traefik's TLSStore <c>default</c> with a <c>defaultCertificate</c> whose Secret some object produces in
/// the store's namespace. Otherwise Traefik serves its generated self-signed certificate (Traefik TLSStore reference,
/// "defaultCertificate.secretName": "If no default certificate is provided, Traefik will use the generated one").
/// </summary>
internal sealed class DefaultCertificateRule : IFluxLintRule
{
    public string Name => "default-certificate";

    public void Check(FluxLintContext context, FluxObject o)
    {
        if (!context.Build.Cluster.Tls || o.Value is not CustomObject<IngressRouteSpec> { Spec.Tls: not null })
        {
            return;
        }

        var stores = context.Objects.Where(s => s.Value is CustomObject<TlsStoreSpec> && s.Value.Metadata.Name == TraefikDefaultCertificate.StoreName).ToList();
        if (stores.Count != 1)
        {
            context.Report(o, $"the route uses Traefik's default certificate, but the cluster has {stores.Count} TLSStore(s) named '{TraefikDefaultCertificate.StoreName}': Traefik then serves its self-signed certificate, which browsers and webhook senders reject",
                "write exactly one TLSStore 'default' with a defaultCertificate (the cluster configuration does, from Secrets Manager, where the cluster serves TLS)");
            return;
        }

        var store = stores[0];
        var secret = ((CustomObject<TlsStoreSpec>)store.Value).Spec.DefaultCertificate.SecretName;
        var ns = store.Value.Metadata.NamespaceProperty;
        if (!context.Producers.Any(p => p.Kind == "Secret" && p.Namespace == ns && p.Name == secret))
        {
            context.Report(o, $"the default certificate Secret '{ns}/{secret}' of TLSStore '{store.Describe()}' is produced by nothing: Traefik then serves its self-signed certificate",
                "produce the kubernetes.io/tls Secret with an ExternalSecret in the store's namespace");
        }
    }
}
