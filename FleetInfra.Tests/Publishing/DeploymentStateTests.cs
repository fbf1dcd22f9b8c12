using FleetInfra.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FleetInfra.Tests.Publishing;

/// <summary>
/// <c>aspire publish</c> as a user runs it, against a home folder of its own: Aspire's deployment state
/// (<c>~/.aspire/deployments/&lt;hash&gt;/&lt;environment&gt;.json</c>) holds no secret parameter value, and the required
/// publish values are named all at once when missing, or named when reused from that state.
/// </summary>
public sealed class DeploymentStateTests(ITestOutputHelper output)
{
    private static readonly string[] s_roleArns = [.. FleetModel.RoleArns.Select(r => $"--Parameters:{r.Key}={r.Value}")];

    [Fact]
    public async Task Publish_leaves_no_secret_parameter_value_in_the_deployment_state()
    {
        using var home = new TempFolder();
        using var tree = new TempFolder();
        // Secrets as a user may configure them: the model's own and an integration's (AddPostgres's generated password).
        var secrets = new Dictionary<string, string>
        {
            ["redis-password"] = "redis-secret-4c1f9a",
            ["n8n-encryption-key"] = "n8n-secret-8d2e7b",
            ["grafana-admin-password"] = "grafana-secret-1a5c3d",
            ["pgadmin-password"] = "pgadmin-secret-6e9f0a",
            ["weave-gitops-admin-password"] = "weave-secret-2b7d4c",
            ["postgres-password"] = "postgres-secret-9f3e1b",
        };

        var run = await PublishAsync(home.Path, ["--output-path", tree.Path, .. s_roleArns, .. secrets.Select(s => $"--Parameters:{s.Key}={s.Value}")]);

        Assert.Equal(0, run.ExitCode);
        var state = DeploymentStateFiles(home.Path);
        Assert.NotEmpty(state); // the publish did write its state: the non-secret values are kept
        var text = string.Concat(state.Select(File.ReadAllText));
        Assert.Contains(FleetModel.RoleArns["aws-external-secrets-role-arn"], text, StringComparison.Ordinal);
        foreach (var (name, value) in secrets)
        {
            Assert.DoesNotContain(value, text, StringComparison.Ordinal);
            Assert.DoesNotContain($"Parameters:{name}", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Missing_required_parameters_are_all_named_at_once_without_a_stack_trace()
    {
        using var home = new TempFolder();
        using var tree = new TempFolder();

        var run = await PublishAsync(home.Path, ["--output-path", tree.Path]);

        Assert.Equal(1, run.ExitCode);
        var failures = run.Output.Split('\n').Where(l => l.StartsWith("fail: FleetInfra: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, l => l.Contains("Parameters:aws-external-secrets-role-arn (the IAM role ARN of External Secrets' service account) has no value", StringComparison.Ordinal));
        Assert.Contains(failures, l => l.Contains("Parameters:aws-postgres-backup-role-arn (", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(tree.Path) && Directory.EnumerateFileSystemEntries(tree.Path).Any(), "nothing is published");
    }

    [Fact]
    public async Task A_required_value_reused_from_the_deployment_state_is_named()
    {
        using var home = new TempFolder();
        using var tree = new TempFolder();
        Assert.Equal(0, (await PublishAsync(home.Path, ["--output-path", tree.Path, .. s_roleArns])).ExitCode);

        var rerun = await PublishAsync(home.Path, ["--output-path", tree.Path]);

        Assert.Equal(0, rerun.ExitCode);
        foreach (var name in FleetModel.RoleArns.Keys)
        {
            Assert.Contains($"info: FleetInfra: Parameters:{name} (", rerun.Output, StringComparison.Ordinal);
        }

        Assert.Contains("reused from Aspire's deployment state", rerun.Output, StringComparison.Ordinal);
        // --clear-cache ignores the state: the values are missing again.
        Assert.Equal(1, (await PublishAsync(home.Path, ["--output-path", tree.Path, "--clear-cache", "true"])).ExitCode);
    }

    private Task<AppHostProcess.Run> PublishAsync(string home, string[] args)
    {
        // HOME: Aspire's deployment state and user secrets live under the test's own folder, never the user's. It must
        // exist: .NET's user-profile folder is empty for a missing HOME, and Aspire would write the state relative to the
        // working directory.
        Directory.CreateDirectory(home);
        return AppHostProcess.RunAsync(output, ["--operation", "publish", "--step", "publish", .. args],
            new Dictionary<string, string> { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home });
    }

    private static List<string> DeploymentStateFiles(string home)
    {
        var deployments = Path.Combine(home, ".aspire", "deployments");
        return Directory.Exists(deployments) ? Directory.GetFiles(deployments, "*.json", SearchOption.AllDirectories).ToList() : [];
    }
}
