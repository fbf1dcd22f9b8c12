using FleetInfra.Hosting.Publishing;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Publishing.Diff;

/// <summary>The <c>diff</c> step through Aspire's pipeline, as <c>aspire do diff</c> runs it.</summary>
public class DiffStepTests
{
    private static async Task<string> PublishBaseAsync(string folder)
    {
        var tree = await FleetModel.PublishTreeAsync();
        FluxTreeWriter.Write(tree, folder);
        return folder;
    }

    private static async Task RunDiffAsync(string output, params string[] args)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FleetInfra_AppHost>(
            ["--operation", "publish", "--step", "diff", "--output-path", output, .. FleetModel.RoleArns.Select(r => $"Parameters:{r.Key}={r.Value}"), .. args], TestContext.Timeout);
        await using (builder)
        {
            await using var app = await builder.BuildAsync(TestContext.Timeout);
            await app.RunAsync(TestContext.Timeout);
        }
    }

    [Fact]
    public async Task Diff_against_the_models_own_tree_writes_that_there_is_no_difference()
    {
        using var folder = new TempFolder();
        var baseTree = await PublishBaseAsync(Path.Combine(folder.Path, "base"));

        await RunDiffAsync(Path.Combine(folder.Path, "out"), $"FleetInfra:Diff:Base={baseTree}", FleetModel.NoDeploymentState);

        var report = await File.ReadAllTextAsync(Path.Combine(folder.Path, "out", "diff.md"));
        Assert.Contains("No difference: every cluster (development against", report);
    }

    /// <summary>
    /// Aspire 13.6's publish path saves every resolved parameter, secrets included, in ~/.aspire/deployments; the diff
    /// step goes through the same path (publish-prereq) and must leave no secret value there. Unique values make any hit
    /// this run's, whatever else the machine published.
    /// </summary>
    [Fact]
    public async Task Diff_leaves_no_secret_value_in_the_deployment_state()
    {
        using var folder = new TempFolder();
        var baseTree = await PublishBaseAsync(Path.Combine(folder.Path, "base"));
        var secrets = PublishedTree.SecretValues.Keys.ToDictionary(k => k, k => $"DiffSecret{Guid.NewGuid():N}");

        await RunDiffAsync(Path.Combine(folder.Path, "out"), [$"FleetInfra:Diff:Base={baseTree}", .. secrets.Select(s => $"Parameters:{s.Key}={s.Value}")]);

        var state = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aspire", "deployments");
        var leaks = Directory.Exists(state)
            ? Directory.EnumerateFiles(state, "*", SearchOption.AllDirectories).Where(f => secrets.Values.Any(File.ReadAllText(f).Contains)).ToList()
            : [];
        Assert.Empty(leaks);
        Assert.True(File.Exists(Path.Combine(folder.Path, "out", "diff.md")));
    }
}
