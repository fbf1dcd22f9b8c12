using Microsoft.Extensions.Configuration;
using System.Text.Json;
using Microsoft.Extensions.Configuration.Json;

namespace FleetInfra.Hosting.Configuration;

/// <summary>
/// Parameters and Aspire's deployment state. In publish mode Aspire resolves every parameter of the model and writes
/// each non-empty value, in plain text, to <c>~/.aspire/deployments/&lt;apphost hash&gt;/&lt;environment&gt;.json</c>
/// (dotnet/aspire src/Aspire.Hosting/Orchestrator/ParameterProcessor.cs: <c>InitializeParametersAsync</c> calls
/// <c>SaveParametersToDeploymentStateAsync</c> in publish mode, which skips empty values), and the next publish reads that
/// file back as configuration (src/Aspire.Hosting/DistributedApplicationBuilder.cs: <c>LoadDeploymentState</c>, skipped
/// with <c>--clear-cache true</c>, i.e. <c>Pipeline:ClearCache</c>). The published tree needs no secret value (secrets
/// reach the cluster through ExternalSecrets): <see cref="SecretFreeDeploymentState"/> keeps every secret parameter out of
/// that file; the values publishing does need are required publish parameters, checked here.
/// </summary>
public static class PublishParameters
{
    /// <summary>
    /// Publish-mode steps that only describe the model (documents, Aspire's manifest) and need no required publish value.
    /// </summary>
    private static readonly string[] s_modelOnlySteps = [Documentation.DocumentationStep.Name, Documentation.DocumentationStep.ManifestStepName];

    /// <summary>
    /// A value publishing requires (no default, not secret), read from <c>Parameters:&lt;name&gt;</c>; components that
    /// share it share the parameter. Unset, it is empty (Aspire then neither prompts nor logs a stack trace), and
    /// <see cref="Check"/> names it before anything runs.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddRequiredPublishParameter(this IDistributedApplicationBuilder builder, string name, string what)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == name) is { } existing)
        {
            return builder.CreateResourceBuilder(existing);
        }

        var configuration = builder.Configuration;
        var parameter = new ParameterResource(name, _ => configuration[$"{KeyPrefix}{name}"] ?? "", secret: false);
        return builder.AddResource(parameter).WithAnnotation(new RequiredPublishParameterAnnotation(what)).ExcludeFromManifest();
    }

    /// <summary>
    /// In publish mode, for a step that publishes: throws one <see cref="FleetInfraConfigurationException"/> naming every
    /// required publish parameter without a value, one line each; returns a line for each value that comes from Aspire's
    /// deployment state (an earlier publish), so that reusing it is never silent.
    /// </summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration, string environment, DistributedApplicationExecutionContext context, IEnumerable<IResource> resources)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(context);
        if (!context.IsPublishMode || s_modelOnlySteps.Contains(configuration["Pipeline:Step"], StringComparer.Ordinal))
        {
            return [];
        }

        var required = resources.OfType<ParameterResource>()
            .Select(p => (Parameter: p, Annotation: p.Annotations.OfType<RequiredPublishParameterAnnotation>().LastOrDefault()))
            .Where(p => p.Annotation is not null)
            .ToList();
        var missing = required.Where(p => string.IsNullOrWhiteSpace(configuration[Key(p.Parameter)]))
            .Select(p => $"{Key(p.Parameter)} ({p.Annotation!.What}) has no value. Set it in user secrets, the environment variable {Key(p.Parameter).Replace(":", "__", StringComparison.Ordinal)} or --{Key(p.Parameter)}=<value>.")
            .ToList();
        if (missing.Count > 0)
        {
            throw new FleetInfraConfigurationException("Parameters", $"{missing.Count} required publish parameter(s) have no value", missing);
        }

        return required
            .Where(p => DeploymentStateFile(configuration, environment, Key(p.Parameter)) is not null)
            .Select(p => $"{Key(p.Parameter)} ({p.Annotation!.What}) reused from Aspire's deployment state {DeploymentStateFile(configuration, environment, Key(p.Parameter))}; publish with --clear-cache true to ignore it.")
            .ToList();
    }

    /// <summary>Where a parameter's value is configured: <c>Parameters:&lt;name&gt;</c>, as for Aspire's own parameters.</summary>
    private const string KeyPrefix = "Parameters:";

    private static string Key(ParameterResource parameter) => KeyPrefix + parameter.Name;

    /// <summary>
    /// The deployment-state file that supplies <paramref name="key"/>: Aspire 13.6 adds
    /// <c>~/.aspire/deployments/&lt;AppHost:DeploymentStatePathSha256&gt;/&lt;environment&gt;.json</c> as a JSON stream
    /// before the environment and the command line, so it supplies the value when no later source has the key and the
    /// file holds that value.
    /// </summary>
    private static string? DeploymentStateFile(IConfiguration configuration, string environment, string key)
    {
        if (configuration is not IConfigurationRoot root
            || root.Providers.Reverse().FirstOrDefault(p => p.TryGet(key, out _)) is not (JsonStreamConfigurationProvider or FileConfigurationProvider)
            || (configuration["AppHost:DeploymentStatePathSha256"] ?? configuration["AppHost:PathSha256"]) is not { Length: > 0 } hash)
        {
            return null;
        }

        var file = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aspire", "deployments", hash, $"{environment.ToLowerInvariant()}.json");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            return json.RootElement.TryGetProperty(key, out var saved) && saved.ValueKind == JsonValueKind.String && saved.GetString() == configuration[key] ? file : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
