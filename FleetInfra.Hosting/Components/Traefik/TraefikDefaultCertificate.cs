using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Manifests;
using k8s.Models;

namespace FleetInfra.Hosting.Components.Traefik;

/// <summary>
/// The certificate of a cluster that serves TLS, written by the cluster configuration (where the secret store exists;
/// Traefik's CRDs come with its chart in an upstream wave): a <c>kubernetes.io/tls</c> Secret from an ExternalSecret (Secrets
/// Manager holds the certificate chain and the key, PEM) and Traefik's TLSStore <c>default</c> naming it. Without it Traefik
/// serves its generated self-signed certificate (its TLSStore reference: "If no default certificate is provided, Traefik
/// will use the generated one"), which browsers and webhook senders reject. No operator is needed (cert-manager would be one).
/// </summary>
internal static class TraefikDefaultCertificate
{
    /// <summary>The Secrets Manager entry with the certificate chain (PEM) for <c>*.&lt;domain&gt;</c>.</summary>
    public static readonly string CertificateRemoteKey = SecretNames.RemoteKey("tls-certificate");

    /// <summary>The Secrets Manager entry with the certificate's private key (PEM).</summary>
    public static readonly string PrivateKeyRemoteKey = SecretNames.RemoteKey("tls-private-key");

    /// <summary>The Secret and TLSStore names: Traefik reads only the store named <c>default</c>.</summary>
    public const string SecretName = "default-certificate";

    /// <inheritdoc cref="SecretName"/>
    public const string StoreName = "default";

    /// <summary>Writes the ExternalSecret and the TLSStore into Traefik's namespace of a TLS cluster.</summary>
    public static void Write(IResource config, FluxBuildContext context)
    {
        if (!context.Cluster.Tls)
        {
            return;
        }

        var ns = TraefikChart.Chart.Namespace; // with allowCrossNamespace off, the store reads Secrets of its own namespace
        var labels = context.Labels(config);
        var externalSecret = FluxBuildContext.ExternalSecret(ns, SecretName, labels,
            [
                new ExternalSecretData("certificate", new ExternalSecretRemoteRef(CertificateRemoteKey)),
                new ExternalSecretData("privateKey", new ExternalSecretRemoteRef(PrivateKeyRemoteKey)),
            ],
            // The Secret type Traefik's TLS loader and kubectl expect, with its two keys (external-secrets docs/guides/templating.md: template.type).
            new ExternalSecretTemplate(new Dictionary<string, string> { ["tls.crt"] = "{{ .certificate }}", ["tls.key"] = "{{ .privateKey }}" }, Type: "kubernetes.io/tls"));
        context.Add(config, "certificate.yaml", externalSecret);
        context.Add(config, "certificate.yaml", Crd.Create("traefik.io/v1alpha1", "TLSStore",
            new V1ObjectMeta { Name = StoreName, NamespaceProperty = ns, Labels = labels },
            new TlsStoreSpec(new TlsStoreSpec.Certificate(SecretName))));
    }
}
