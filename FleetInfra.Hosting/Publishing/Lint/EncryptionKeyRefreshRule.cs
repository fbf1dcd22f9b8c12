using FleetInfra.Hosting.Publishing.Manifests;

namespace FleetInfra.Hosting.Publishing.Lint;

/// <summary>
/// encryption-key-refresh: an ExternalSecret that delivers an encryption key (<see cref="EncryptionKeyAnnotation"/>) keeps
/// the first value it read. With the default policy (<c>Periodic</c>) External Secrets rewrites the Secret whenever the
/// Secrets Manager value changes (external-secrets v0.20.4 pkg/controllers/externalsecret/externalsecret_controller.go,
/// shouldRefresh: <c>CreatedOnce</c> fetches only until the first sync, while status.syncedResourceVersion is empty), so a rotation would swap the key at
/// the next pod start and leave every stored ciphertext undecryptable.
/// </summary>
/// <param name="key">The encryption key parameter.</param>
internal sealed class EncryptionKeyRefreshRule(ParameterResource key) : IFluxLintRule
{
    /// <summary>The refresh policy that keeps the first value (External Secrets v0.16.0 and later).</summary>
    public const string KeepFirstValue = "CreatedOnce";

    public string Name => "encryption-key-refresh";

    public void Check(FluxLintContext context, FluxObject o)
    {
        if (o.Value is CustomObject<ExternalSecretSpec> { Spec: var spec }
            && (spec.Data ?? []).Any(d => d.RemoteRef.Key == SecretNames.RemoteKey(key))
            && spec.RefreshPolicy != KeepFirstValue)
        {
            context.Report(o, $"it delivers encryption key '{key.Name}' with refreshPolicy {spec.RefreshPolicy ?? "Periodic (the default)"}: a rotation in Secrets Manager would replace the key at the next pod start and orphan everything encrypted with it",
                $"set refreshPolicy: {KeepFirstValue} (parameters marked AsEncryptionKey() get it), and rotate the key only with the application's own re-encryption procedure");
        }
    }
}
