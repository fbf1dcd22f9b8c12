using System.Diagnostics;
using System.Text.RegularExpressions;
using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Publishing;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Publishing;

/// <summary>The published tree's README as a bootstrap procedure, followed as a reader would: commands that need no cluster run.</summary>
[Collection(PublishedTreeCollection.Name)]
public class TreeReadmeTests(PublishedTree tree)
{
    private string Readme => File.ReadAllText(Path.Combine(tree.Output, "README.md"));

    private IEnumerable<string> Lines => Readme.Split('\n').Select(l => l.Trim());

    [Theory]
    [InlineData("development", "develop", "1m")]
    [InlineData("production", "main", "10m")]
    public void Each_bootstrap_command_syncs_at_its_clusters_interval_on_the_flux_version_the_charts_support(string cluster, string branch, string interval)
    {
        // flux bootstrap's own default is 1m (fluxcd/flux2 cmd/flux/bootstrap_git.go); the overlay's interval must be given.
        // Weave GitOps 0.38 works only on Flux 2.5-2.6 (weaveworks/weave-gitops#5223): the last 2.6 release is pinned.
        var command = Assert.Single(Lines, l => l.StartsWith("flux bootstrap git ", StringComparison.Ordinal) && l.Contains($"--path=clusters/{cluster} "));
        Assert.Equal($"flux bootstrap git --url=https://github.com/fleet-infra/fleet-infra --branch={branch} --path=clusters/{cluster} --interval={interval} --version=v2.6.4 --username=<git user> --password=<token>", command);
    }

    [Fact]
    public void The_procedure_is_numbered_from_publishing_to_all_waves_ready()
    {
        var steps = Lines.Select(l => Regex.Match(l, @"^(\d+)\. \*\*(.+?)\*\*")).Where(m => m.Success).ToList();

        Assert.Equal(Enumerable.Range(1, steps.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), steps.Select(m => m.Groups[1].Value));
        Assert.Equal(["Publish for your repository.", "Check the tree offline", "Push the tree", "On AWS (production), before bootstrap:", "Bootstrap each cluster", "DNS", "Wait for the waves:"],
            steps.Select(m => m.Groups[2].Value));
        Assert.Contains("`FleetInfra:Flux:GitRepository` (now `https://github.com/fleet-infra/fleet-infra`), `FleetInfra:Flux:Clusters:development:Branch` (now `develop`), `FleetInfra:Flux:Clusters:production:Branch` (now `main`)", Readme);
        Assert.Contains("`Parameters:aws-external-secrets-role-arn`", Readme);
        // Every Secrets Manager entry production reads gets its create-secret line, the certificate from its PEM files.
        foreach (var name in new[] { "fleet-infra/tls-certificate", "fleet-infra/tls-private-key", "fleet-infra/n8n-owner-password", "fleet-infra/ui-basic-auth-users" })
        {
            Assert.Contains(Lines, l => l.StartsWith($"aws secretsmanager create-secret --region eu-central-1 --name {name} --secret-string ", StringComparison.Ordinal));
        }

        Assert.Contains("commits `clusters/<cluster>/flux-system/`", Readme);
        Assert.DoesNotContain("`clusters/<cluster>/` - entry point per cluster: the `GitRepository`", Readme);
    }

    [Fact]
    public async Task The_offline_checks_of_the_procedure_run_as_written_against_the_published_tree()
    {
        var step = Assert.Single(Lines, l => l.StartsWith("2. **Check the tree offline**", StringComparison.Ordinal));
        var waves = Regex.Matches(step[step.IndexOf("for each wave (", StringComparison.Ordinal)..], "`([a-z-]+)`").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(tree.Waves.Select(w => w.Name), waves);

        foreach (var target in waves.Prepend("base"))
        {
            using var kubectl = Process.Start(new ProcessStartInfo("kubectl", ["kustomize", target]) { WorkingDirectory = tree.Output, RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = kubectl.StandardOutput.ReadToEndAsync();
            var error = await kubectl.StandardError.ReadToEndAsync();
            await kubectl.WaitForExitAsync();
            Assert.True(kubectl.ExitCode == 0, $"kubectl kustomize {target}: {error}");
            Assert.NotEmpty(await output);
        }
    }
}

/// <summary>The tree's repository URL and branches as publish settings.</summary>
public class FluxPublishSettingsTests
{
    [Fact]
    public async Task The_repository_url_and_each_clusters_branch_are_publish_settings()
    {
        var tree = await FleetModel.PublishTreeAsync(args: ["FleetInfra:Flux:GitRepository=ssh://git@git.example.com/platform/fleet", "FleetInfra:Flux:Clusters:production:Branch=release/production"]);

        Assert.Equal("ssh://git@git.example.com/platform/fleet", tree.Environment.GitRepositoryUrl);
        Assert.Equal(["develop", "release/production"], tree.Builds.Select(b => b.Cluster.Branch));
        var readme = FluxTreeWriter.Files(tree)["README.md"];
        Assert.Contains("flux bootstrap git --url=ssh://git@git.example.com/platform/fleet --branch=release/production --path=clusters/production ", readme);
        Assert.Contains("git push ssh://git@git.example.com/platform/fleet HEAD:refs/heads/release/production", readme);
    }

    [Theory]
    [InlineData("FleetInfra:Flux:GitRepository=github.com/org/fleet", "Invalid configuration 'FleetInfra:Flux:GitRepository': 'github.com/org/fleet' is not a Git repository URL. Allowed: an absolute https:// or ssh:// URL")]
    [InlineData("FleetInfra:Flux:Clusters:production:Branch=my branch", "Invalid configuration 'FleetInfra:Flux:Clusters:production:Branch': 'my branch' is not a Git branch name.")]
    public async Task A_bad_publish_setting_fails_naming_the_key_and_what_is_allowed(string setting, string expected)
    {
        // The AppHost's Program throws while the testing builder runs it: find the configuration error however it is wrapped.
        Exception? failure = await Assert.ThrowsAnyAsync<Exception>(() => FleetModel.PublishTreeAsync(args: [setting]));
        while (failure is not null and not FleetInfraConfigurationException)
        {
            failure = failure.InnerException;
        }

        Assert.StartsWith(expected, Assert.IsType<FleetInfraConfigurationException>(failure).Message);
    }
}
