using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FleetInfra.Hosting.Components.Temporal;
using FleetInfra.Tests.Infrastructure;
using FleetInfra.Tests.Publishing;

namespace FleetInfra.Tests.Model;

/// <summary>Temporal starts from tags that exist, and its namespace is registered before the UI opens on it.</summary>
public partial class TemporalTests
{
    // admin-tools tags of the 1.29 line: <server>-tctl-<tctl>-cli-<cli> or major.minor (temporalio/temporal#8431).
    [GeneratedRegex(@"^(?<server>\d+\.\d+\.\d+)-tctl-\d+\.\d+\.\d+-cli-\d+\.\d+\.\d+$|^(?<server>\d+\.\d+)$")]
    private static partial Regex AdminToolsTagShape();

    [Fact]
    public async Task Admin_tools_has_a_published_tag_shape_of_the_server_s_release_line()
    {
        await using var builder = await FleetModel.CreateAsync();
        var server = builder.Image("temporal");
        var match = AdminToolsTagShape().Match(builder.Image("temporal-schema").Tag!);

        Assert.True(match.Success, $"admin-tools tag '{builder.Image("temporal-schema").Tag}' has no published shape");
        Assert.Equal(builder.Image("temporal-schema").Tag, builder.Image("temporal-namespace").Tag);
        static string MajorMinor(string version) => string.Join('.', version.Split('.').Take(2));
        Assert.Equal(MajorMinor(server.Tag!), MajorMinor(match.Groups["server"].Value)); // schemas and CLI of the same release line
    }

    [Fact]
    public async Task The_namespace_job_waits_for_the_healthy_server_and_gates_the_ui()
    {
        await using var builder = await FleetModel.CreateAsync();
        var job = builder.Get<TemporalNamespaceResource>("temporal-namespace");
        var ui = builder.Get("temporal-ui");

        Assert.Equal("default", job.Namespace);
        Assert.True(job.HasAnnotationOfType<Hosting.Waves.RunsToCompletionAnnotation>());
        Assert.Contains(job.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "temporal" && w.WaitType == WaitType.WaitUntilHealthy);
        Assert.Contains(ui.Annotations.OfType<WaitAnnotation>(), w => w.Resource == job && w.WaitType == WaitType.WaitForCompletion);
        Assert.Equal("services", builder.Resources.OfType<Hosting.Waves.WaveResource>().Single(w => w.Members.Contains(job)).Name);
    }
}

/// <summary>The namespace job in the cluster tree.</summary>
[Collection(PublishedTreeCollection.Name)]
public class TemporalClusterTests(PublishedTree tree)
{
    private static string? Text(JsonNode? node, string path) =>
        path.Split('.').Aggregate(node, (n, p) => n?[p])?.GetValue<string>();

    [Theory]
    [InlineData("development")]
    [InlineData("production")]
    public void The_namespace_job_is_a_rerunnable_job_in_the_services_wave(string cluster)
    {
        var (target, _, job) = tree.ClusterDocuments().Single(d => d.Cluster == cluster && Text(d.Document, "kind") == "Job" && Text(d.Document, "metadata.name") == "temporal-namespace");
        Assert.Equal("services", target.Split('+')[0]);

        var container = job["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var script = container["args"]!.AsArray().Last()!.GetValue<string>();
        Assert.Contains("temporal operator namespace describe", script); // a rerun finds it and exits 0
        Assert.Contains("|| temporal operator namespace create", script);
        var env = container["env"]!.AsArray().ToDictionary(e => Text(e, "name")!, e => Text(e, "value"));
        Assert.Equal("default", env["TEMPORAL_NAMESPACE"]);
        Assert.Equal("temporal:7233", env["TEMPORAL_ADDRESS"]);
        // A fresh cluster: the server may not answer yet; the pod is restarted until it does.
        Assert.Equal("OnFailure", Text(job, "spec.template.spec.restartPolicy"));
    }
}
