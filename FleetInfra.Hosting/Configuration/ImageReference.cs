using System.Text.RegularExpressions;

namespace FleetInfra.Hosting.Configuration;

/// <summary>
/// A container image reference <c>[registry/]repository[:tag][@sha256:digest]</c>, split the way
/// Aspire's <c>ContainerImageAnnotation</c> stores it.
/// </summary>
public sealed partial record ImageReference(string? Registry, string Image, string? Tag, string? Sha256)
{
    // Grammar of the distribution reference (docker/distribution reference.go), simplified to what
    // Aspire can express: lowercase path components, optional tag, optional sha256 digest.
    [GeneratedRegex(@"^(?:(?<registry>(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?)/)?(?<image>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@sha256:(?<digest>[a-f0-9]{64}))?$")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$")]
    private static partial Regex RegistryPattern();

    /// <summary>Parses a reference; a first path component with a dot, a port or <c>localhost</c> is the registry.</summary>
    public static bool TryParse(string value, out ImageReference? reference)
    {
        reference = null;
        var match = ReferencePattern().Match(value.Trim());
        if (!match.Success)
        {
            return false;
        }

        var registry = match.Groups["registry"].Success ? match.Groups["registry"].Value : null;
        var image = match.Groups["image"].Value;
        if (registry is not null && !LooksLikeRegistry(registry))
        {
            // "library/redis" - the first component is a path, not a registry host.
            image = $"{registry}/{image}";
            registry = null;
            if (image.Any(char.IsUpper))
            {
                return false;
            }
        }

        reference = new ImageReference(
            registry,
            image,
            match.Groups["tag"].Success ? match.Groups["tag"].Value : null,
            match.Groups["digest"].Success ? match.Groups["digest"].Value : null);
        return true;
    }

    /// <summary>Whether <paramref name="value"/> is a registry host (with optional port and path prefix).</summary>
    public static bool IsValidRegistry(string value) => RegistryPattern().IsMatch(value);

    private static bool LooksLikeRegistry(string component) =>
        component.Contains('.') || component.Contains(':') || component == "localhost";

    /// <inheritdoc />
    public override string ToString() =>
        $"{(Registry is null ? "" : Registry + "/")}{Image}{(Tag is null ? "" : ":" + Tag)}{(Sha256 is null ? "" : "@sha256:" + Sha256)}";
}
