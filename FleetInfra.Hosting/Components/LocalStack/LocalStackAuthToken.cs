using System.Text.RegularExpressions;
using FleetInfra.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace FleetInfra.Hosting.Components.LocalStack;

/// <summary>
/// LocalStack's auth token. 4.14.0 (2026-02-26, <see cref="LocalStackContainerImageTags.Tag"/>) is the last image that
/// starts without one: later images exit with code 55 unless <c>LOCALSTACK_AUTH_TOKEN</c> is set (LocalStack staff in
/// PlaytikaOSS/testcontainers-spring-boot#2872; microcks/microcks#2008), and the localstack/localstack repository was
/// archived on 2026-03-23. The token is passed through as a secret when set; an image override past 4.14.0 without one
/// stops the AppHost before anything starts.
/// </summary>
internal static partial class LocalStackAuthToken
{
    /// <summary>The environment variable LocalStack reads, and the one the AppHost takes the token from.</summary>
    public const string EnvironmentVariable = "LOCALSTACK_AUTH_TOKEN";

    /// <summary>The secret parameter that carries it (<c>Parameters:localstack-auth-token</c>, or the variable above).</summary>
    public const string ParameterName = "localstack-auth-token";

    /// <summary>The last version that needs no token.</summary>
    private static readonly Version s_lastFree = Version.Parse(LocalStackContainerImageTags.Tag);

    /// <summary>The token, when the configuration has one (the parameter wins over the environment variable).</summary>
    public static string? Configured(IConfiguration configuration) =>
        configuration[$"Parameters:{ParameterName}"] is { Length: > 0 } parameter ? parameter
        : configuration[EnvironmentVariable] is { Length: > 0 } variable ? variable : null;

    /// <summary>
    /// Whether <paramref name="image"/> needs a token: a version after 4.14.0 (a CalVer tag such as 2026.3 counts), and
    /// every tag or digest that cannot be dated (<c>latest</c>, <c>stable</c>, <c>sha256:…</c>). Version tags up to 4.14.0
    /// (<c>4.14.0</c>, <c>4.13</c>, <c>3.8.1</c>) do not.
    /// </summary>
    public static bool Needed(ContainerImageAnnotation image)
    {
        if (image.SHA256 is not null || image.Tag is not { } tag || VersionTag().Match(tag) is not { Success: true } match)
        {
            return true;
        }

        var version = Version.Parse(match.Groups["version"].Value.Count(c => c == '.') == 0 ? $"{match.Groups["version"].Value}.0" : match.Groups["version"].Value);
        return version > s_lastFree;
    }

    /// <summary>The check LocalStack declares (<see cref="ConfigurationCheckAnnotation"/>): a later image needs the token.</summary>
    public static string? Check(IResource localStack, IConfiguration configuration)
    {
        if (!localStack.TryGetLastAnnotation<ContainerImageAnnotation>(out var image) || !Needed(image) || Configured(configuration) is not null)
        {
            return null;
        }

        var reference = image.SHA256 is { } digest ? $"{image.Image}@sha256:{digest}" : $"{image.Image}:{image.Tag}";
        return $"'{reference}' needs a LocalStack auth token: LocalStack images after {LocalStackContainerImageTags.Tag} (and tags or digests that cannot be dated, such as latest or stable) exit with code 55 without one. " +
            $"Set {EnvironmentVariable} (or Parameters:{ParameterName}), or set FleetInfra:Images:{localStack.Name} to a tag up to {LocalStackContainerImageTags.Tag}.";
    }

    // 4.14.0, v4.13, 3.8 (major.minor[.patch]); CalVer tags (2026.03.0) parse too and compare as later.
    [GeneratedRegex(@"^v?(?<version>\d+(\.\d+){0,2})$")]
    private static partial Regex VersionTag();
}
