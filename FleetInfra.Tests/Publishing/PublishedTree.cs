using System.Diagnostics;
using System.Text.Json.Nodes;
using FleetInfra.Hosting.Waves;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Publishing;

/// <summary>
/// Publishes the real AppHost once (through the pipeline, like <c>aspire publish</c>) into a temporary folder with known
/// secret parameter values, then renders every wave folder, every wave with each cluster's Component, and both cluster
/// overlays with <c>kubectl kustomize</c>.
/// </summary>
public sealed class PublishedTree : IAsyncLifetime
{
    /// <summary>Values given to the secret parameters; none may appear in the tree.</summary>
    public static readonly IReadOnlyDictionary<string, string> SecretValues = new Dictionary<string, string>
    {
        ["redis-password"] = "RedisFixtureValue7Qx93Lk2",
        ["n8n-encryption-key"] = "N8nFixtureKeyV4m81Zr6Tq0Wb5Yc2",
        ["grafana-admin-password"] = "GrafanaFixtureValue3Jd8",
        ["pgadmin-password"] = "PgAdminFixtureValue9Hs1",
        ["postgres-password"] = "PostgresFixtureValue4Ka6",
    };

    public static readonly string[] Clusters = ["development", "production"];

    public string Output { get; } = Path.Combine(Path.GetTempPath(), $"fleetinfra-publish-{Guid.NewGuid():N}");

    /// <summary>The waves of the model: name, dependsOn, timeout.</summary>
    public List<(string Name, string[] DependsOn, TimeSpan Timeout)> Waves { get; } = [];

    /// <summary>Rendered documents by target: a wave folder, "wave+cluster", or "clusters/&lt;cluster&gt;".</summary>
    public Dictionary<string, List<JsonNode>> Rendered { get; } = [];

    /// <summary>kubectl kustomize failures by target.</summary>
    public Dictionary<string, string> RenderFailures { get; } = [];

    public async Task InitializeAsync()
    {
        string[] args = ["--operation", "publish", "--step", "publish", "--output-path", Output, FleetModel.NoDeploymentState, .. SecretValues.Select(s => $"Parameters:{s.Key}={s.Value}")];
        var builder = await FleetModel.CreateAsync(args);
        await using (builder)
        {
            Waves.AddRange(builder.Resources.OfType<WaveResource>().Select(w => (w.Name, w.DependsOn.Select(d => d.Wave.Name).ToArray(), w.Timeout)));
            await using var app = await builder.BuildAsync(TestContext.Timeout);
            await app.RunAsync(TestContext.Timeout);
        }

        if (!File.Exists(Path.Combine(Output, "base", "kustomization.yaml")))
        {
            throw new InvalidOperationException($"Publishing wrote no tree into {Output}.");
        }

        var targets = new List<(string Name, string Directory)>();
        foreach (var wave in Waves)
        {
            targets.Add((wave.Name, Path.Combine(Output, wave.Name)));
            foreach (var cluster in Clusters.Where(c => Directory.Exists(Path.Combine(Output, wave.Name, c))))
            {
                // A wave as the cluster's Flux Kustomization applies it: the folder plus the cluster's Component.
                var dir = Path.Combine(Output + "-render", $"{wave.Name}+{cluster}");
                Directory.CreateDirectory(dir);
                await File.WriteAllTextAsync(Path.Combine(dir, "kustomization.yaml"),
                    $"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- {Relative(dir, Path.Combine(Output, wave.Name))}\ncomponents:\n- {Relative(dir, Path.Combine(Output, wave.Name, cluster))}\n");
                targets.Add(($"{wave.Name}+{cluster}", dir));
            }
        }

        targets.AddRange(Clusters.Select(c => ($"clusters/{c}", Path.Combine(Output, "clusters", c))));
        var results = await Task.WhenAll(targets.Select(async t => (t.Name, Result: await KustomizeAsync(t.Directory))));
        foreach (var (name, (ok, text)) in results)
        {
            if (ok)
            {
                Rendered[name] = KubernetesSchemas.YamlToJson(text).OfType<JsonNode>().ToList();
            }
            else
            {
                RenderFailures[name] = text;
            }
        }
    }

    /// <summary>Every document the clusters would apply: each wave with its cluster Component, or alone where it has none.</summary>
    public IEnumerable<(string Target, string Cluster, JsonNode Document)> ClusterDocuments() =>
        from cluster in Clusters
        from wave in Waves
        let target = Rendered.ContainsKey($"{wave.Name}+{cluster}") ? $"{wave.Name}+{cluster}" : wave.Name
        from document in Rendered.GetValueOrDefault(target) ?? []
        select (target, cluster, document);

    private static string Relative(string from, string to) => Path.GetRelativePath(from, to).Replace('\\', '/');

    private static async Task<(bool Ok, string Output)> KustomizeAsync(string directory)
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", directory]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Timeout);
        return process.ExitCode == 0 ? (true, await stdout) : (false, await stderr);
    }

    public Task DisposeAsync()
    {
        foreach (var dir in new[] { Output, Output + "-render" }.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }

        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PublishedTreeCollection : ICollectionFixture<PublishedTree>
{
    public const string Name = "published tree";
}
