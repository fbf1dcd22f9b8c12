using FleetInfra.Hosting.Publishing.Lint;

namespace FleetInfra.Hosting.Publishing;

/// <summary>Builder extension that marks a secret parameter as an encryption key (<see cref="EncryptionKeyAnnotation"/>).</summary>
public static class EncryptionKeyExtensions
{
    /// <summary>
    /// Marks <paramref name="key"/> as an encryption key: every cluster keeps the first value its ExternalSecret reads, and
    /// the publish lint rejects an ExternalSecret of it that would follow a rotation. Calling it again changes nothing.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AsEncryptionKey(this IResourceBuilder<ParameterResource> key)
    {
        if (!key.Resource.HasAnnotationOfType<EncryptionKeyAnnotation>())
        {
            key.WithAnnotation(new EncryptionKeyAnnotation())
                .WithAnnotation(new FluxLintRuleAnnotation([new EncryptionKeyRefreshRule(key.Resource)]));
        }

        return key;
    }
}
