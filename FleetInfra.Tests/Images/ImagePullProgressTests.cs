using FleetInfra.Hosting.Images;

namespace FleetInfra.Tests.Images;

public class ImagePullProgressTests
{
    // What `docker pull` prints when its output is not a terminal: one status line per layer change, no progress bars.
    private static readonly string[] s_pull =
    [
        "17.6: Pulling from library/postgres",
        "a2318d6c47ec: Already exists",
        "0d4c9f5ef1f3: Pulling fs layer",
        "3c2f4ac4e1a7: Pulling fs layer",
        "0d4c9f5ef1f3: Download complete",
        "0d4c9f5ef1f3: Pull complete",
        "3c2f4ac4e1a7: Downloading",
    ];

    [Fact]
    public void Counts_layers_seen_and_layers_done_from_the_runtime_s_status_lines()
    {
        var progress = new ImagePullProgress();
        Assert.Equal("resolving", progress.ToString());
        var changes = s_pull.Count(progress.Read);

        Assert.Equal(3, progress.Layers);
        Assert.Equal(2, progress.Done); // "Already exists" and "Pull complete"
        Assert.Equal("2 of 3 layers", progress.ToString());
        Assert.Equal(4, changes); // three new layers, one completed; repeated statuses change nothing
    }

    [Fact]
    public void Ignores_lines_that_are_not_a_layer_s_status()
    {
        var progress = new ImagePullProgress();
        Assert.False(progress.Read("Digest: sha256:0123456789abcdef"));
        Assert.False(progress.Read("Status: Downloaded newer image for postgres:17.6"));
        Assert.Equal(0, progress.Layers);
    }
}
