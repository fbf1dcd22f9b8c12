namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// The parameter is an encryption key: data is encrypted with it, so a new value orphans that data. In the cluster its
/// ExternalSecret keeps the first value it read (<c>refreshPolicy: CreatedOnce</c>) instead of following a rotation in
/// Secrets Manager; the publish lint's encryption-key-refresh rule checks it.
/// </summary>
public sealed class EncryptionKeyAnnotation : IResourceAnnotation;
