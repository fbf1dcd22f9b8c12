using Microsoft.Extensions.Configuration;

namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// The publish settings of the Flux tree, from configuration: <c>FleetInfra:Flux:GitRepository</c> (the repository URL the
/// clusters sync from, https:// or ssh://) and <c>FleetInfra:Flux:Clusters:&lt;cluster&gt;:Branch</c> (the branch a cluster
/// tracks). Unset keys keep the model's defaults; a bad value stops the AppHost naming the key and what is allowed.
/// </summary>
internal sealed class FluxPublishSettings
{
    public const string GitRepositoryKey = "FleetInfra:Flux:GitRepository";

    private readonly IConfiguration _configuration;

    private FluxPublishSettings(IConfiguration configuration, string? gitRepository)
    {
        _configuration = configuration;
        GitRepository = gitRepository;
    }

    /// <summary>The repository URL, when configured.</summary>
    public string? GitRepository { get; }

    /// <summary>The configuration key of a cluster's branch.</summary>
    public static string BranchKey(string cluster) => $"FleetInfra:Flux:Clusters:{cluster}:Branch";

    public static FluxPublishSettings Read(IConfiguration configuration)
    {
        // "Flux" is one of FleetInfraSettings' known keys; what is under it is checked here.
        foreach (var child in configuration.GetSection("FleetInfra:Flux").GetChildren())
        {
            if (child.Key is not ("GitRepository" or "Clusters"))
            {
                throw new Configuration.FleetInfraConfigurationException($"FleetInfra:Flux:{child.Key}", "unknown setting. Allowed keys under 'FleetInfra:Flux': GitRepository, Clusters:<cluster>:Branch.");
            }
        }

        foreach (var cluster in configuration.GetSection("FleetInfra:Flux:Clusters").GetChildren())
        {
            if (cluster.GetChildren().FirstOrDefault(c => c.Key != "Branch") is { } unknown)
            {
                throw new Configuration.FleetInfraConfigurationException($"FleetInfra:Flux:Clusters:{cluster.Key}:{unknown.Key}", $"unknown setting. Allowed keys under 'FleetInfra:Flux:Clusters:{cluster.Key}': Branch.");
            }
        }

        var url = configuration[GitRepositoryKey];
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "ssh" && uri.AbsolutePath.Length > 1))
        {
            throw new Configuration.FleetInfraConfigurationException(GitRepositoryKey,
                $"'{url}' is not a Git repository URL. Allowed: an absolute https:// or ssh:// URL with a path (https://github.com/org/fleet-infra, ssh://git@github.com/org/fleet-infra).");
        }

        return new FluxPublishSettings(configuration, url);
    }

    /// <summary>The branch <paramref name="cluster"/> tracks: the setting, else <paramref name="fallback"/>.</summary>
    public string Branch(string cluster, string fallback)
    {
        var branch = _configuration[BranchKey(cluster)];
        // git check-ref-format's rules, in short: no spaces, no "..", no leading "-" or "/", no trailing "/" or ".lock".
        if (branch is not null && (branch.Length == 0 || branch.StartsWith('-') || branch.StartsWith('/') || branch.EndsWith('/') || branch.EndsWith(".lock", StringComparison.Ordinal)
            || branch.Contains("..", StringComparison.Ordinal) || branch.Any(c => char.IsWhiteSpace(c) || c is '~' or '^' or ':' or '?' or '*' or '[' or '\\')))
        {
            throw new Configuration.FleetInfraConfigurationException(BranchKey(cluster),
                $"'{branch}' is not a Git branch name. Allowed: a branch name such as main or release/production (no spaces, '..', '~^:?*[\\', leading '-' or '/').");
        }

        return branch ?? fallback;
    }
}
