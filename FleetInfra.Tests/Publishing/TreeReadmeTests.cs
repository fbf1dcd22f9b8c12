namespace FleetInfra.Tests.Publishing;

/// <summary>The published tree's README as a bootstrap procedure.</summary>
[Collection(PublishedTreeCollection.Name)]
public class TreeReadmeTests(PublishedTree tree)
{
    private string Readme => File.ReadAllText(Path.Combine(tree.Output, "README.md"));

    [Theory]
    [InlineData("development", "develop", "1m")]
    [InlineData("production", "main", "10m")]
    public void Each_bootstrap_command_syncs_at_its_clusters_interval(string cluster, string branch, string interval)
    {
        // flux bootstrap's own default is 1m (fluxcd/flux2 cmd/flux/bootstrap_git.go); the overlay's interval must be given.
        var command = Assert.Single(Readme.Split('\n'), l => l.StartsWith("flux bootstrap git ", StringComparison.Ordinal) && l.Contains($"--path=clusters/{cluster} "));
        Assert.Contains($"--branch={branch} ", command);
        Assert.EndsWith($" --interval={interval}", command.TrimEnd());
    }
}
