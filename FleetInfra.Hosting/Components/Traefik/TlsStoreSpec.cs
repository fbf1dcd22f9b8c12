namespace FleetInfra.Hosting.Components.Traefik;

/// <summary>
/// Traefik: traefik.io/v1alpha1 TLSStore, mirroring the CRD's fields (strict schema tests keep it honest). Traefik uses only
/// the store named <c>default</c>, one per cluster; its <c>defaultCertificate</c> is served to every TLS route without a
/// certificate of its own (doc.traefik.io reference/routing-configuration/kubernetes/crd/tls/tlsstore, "Default TLS Store").
/// </summary>
/// <param name="DefaultCertificate">The <c>kubernetes.io/tls</c> Secret in the store's namespace.</param>
internal sealed record TlsStoreSpec(TlsStoreSpec.Certificate DefaultCertificate)
{
    /// <summary>A Secret holding <c>tls.crt</c> and <c>tls.key</c>.</summary>
    internal sealed record Certificate(string SecretName);
}
