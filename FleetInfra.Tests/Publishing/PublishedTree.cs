using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
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
        ["weave-gitops-admin-password"] = "WeaveFixtureValue5Pn2",
    };

    public static readonly string[] Clusters = ["development", "production"];

    public string Output { get; } = Path.Combine(Path.GetTempPath(), $"fleetinfra-publish-{Guid.NewGuid():N}");

    /// <summary>The waves of the model: name, dependsOn, timeout.</summary>
    public List<(string Name, string[] DependsOn, TimeSpan Timeout)> Waves { get; } = [];

    /// <summary>Rendered documents by target: a wave folder, "wave+cluster", or "clusters/&lt;cluster&gt;".</summary>
    public Dictionary<string, List<JsonNode>> Rendered { get; } = [];

    /// <summary>Clusters whose flux-system/ folder the publisher wrote itself (it must not: flux bootstrap owns it).</summary>
    public List<string> ClustersWithPublishedBootstrapFolder { get; } = [];

    /// <summary>The probes the model declares, by resource, with the container port of each probe's endpoint.</summary>
    public Dictionary<string, List<(ProbeAnnotation Probe, int? Port)>> DeclaredProbes { get; } = [];

    /// <summary>The local health check keys of each resource.</summary>
    public Dictionary<string, HashSet<string>> HealthChecks { get; } = [];

    /// <summary>What the model declares about each component, as built (so tests derive their expectations, never count by hand).</summary>
    public List<ModelComponent> Components { get; } = [];

    /// <summary>The cluster overlays that run the model's AWS emulator (the others use AWS itself).</summary>
    public HashSet<string> ClustersEmulatingAws { get; } = [];

    /// <summary>The model's dependency edges (WaitFor, references, Needs), as the graph derives them.</summary>
    public List<FleetInfra.Hosting.Graph.FleetEdge> Edges { get; } = [];

    /// <summary>kubectl kustomize failures by target.</summary>
    public Dictionary<string, string> RenderFailures { get; } = [];

    public async Task InitializeAsync()
    {
        string[] args = ["--operation", "publish", "--step", "publish", "--output-path", Output, FleetModel.NoDeploymentState, .. SecretValues.Select(s => $"Parameters:{s.Key}={s.Value}")];
        var builder = await FleetModel.CreateAsync(args);
        await using (builder)
        {
            Waves.AddRange(builder.Resources.OfType<WaveResource>().Select(w => (w.Name, w.DependsOn.Select(d => d.Wave.Name).ToArray(), w.Timeout)));
            foreach (var resource in builder.Resources.Where(r => r.Annotations.OfType<ProbeAnnotation>().Any()))
            {
                DeclaredProbes[resource.Name] = resource.Annotations.OfType<ProbeAnnotation>().Select(p => (p, PortOf(resource, p))).ToList();
                HealthChecks[resource.Name] = resource.Annotations.OfType<HealthCheckAnnotation>().Select(h => h.Key).ToHashSet();
            }

            await using var app = await builder.BuildAsync(TestContext.Timeout);
            var model = app.Services.GetRequiredService<DistributedApplicationModel>();
            Components.AddRange(Hosting.Publishing.FluxPublisher.Components(model).Select(ModelComponent.Of));
            Edges.AddRange(Hosting.Graph.FleetGraph.Edges(model.Resources));
            ClustersEmulatingAws.UnionWith(model.Resources.OfType<Hosting.Publishing.FluxEnvironmentResource>().SelectMany(e => e.Clusters).Where(c => c.EmulatesAws).Select(c => c.Name));
            await app.RunAsync(TestContext.Timeout);
        }

        if (!File.Exists(Path.Combine(Output, "base", "kustomization.yaml")))
        {
            throw new InvalidOperationException($"Publishing wrote no tree into {Output}.");
        }

        foreach (var cluster in Clusters)
        {
            if (Directory.Exists(Path.Combine(Output, "clusters", cluster, "flux-system")))
            {
                ClustersWithPublishedBootstrapFolder.Add(cluster);
            }

            await WriteBootstrapAsync(Path.Combine(Output, "clusters", cluster), cluster);
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

    private static int? PortOf(IResource resource, ProbeAnnotation probe)
    {
        var endpoint = probe switch
        {
            EndpointProbeAnnotation http => http.EndpointReference.EndpointName,
            Hosting.Probes.GrpcProbeAnnotation grpc => grpc.EndpointReference.EndpointName,
            Hosting.Probes.TcpProbeAnnotation tcp => tcp.EndpointReference.EndpointName,
            _ => null,
        };
        return endpoint is null ? null : resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == endpoint).TargetPort;
    }

    /// <summary>Every document the clusters would apply: each wave with its cluster Component, or alone where it has none.</summary>
    public IEnumerable<(string Target, string Cluster, JsonNode Document)> ClusterDocuments() =>
        from cluster in Clusters
        from wave in Waves
        let target = Rendered.ContainsKey($"{wave.Name}+{cluster}") ? $"{wave.Name}+{cluster}" : wave.Name
        from document in Rendered.GetValueOrDefault(target) ?? []
        select (target, cluster, document);

    /// <summary>Branch each cluster is bootstrapped from (what the tree's README tells the operator to pass to flux bootstrap).</summary>
    public static string BranchOf(string cluster) => cluster == "development" ? "develop" : "main";

    /// <summary>
    /// What <c>flux bootstrap git --branch=… --path=clusters/&lt;cluster&gt;</c> writes into the cluster's folder
    /// (fluxcd/flux2 pkg/manifestgen/sync: flux-system/gotk-sync.yaml with the GitRepository and Kustomization
    /// <c>flux-system</c>, and a kustomization.yaml listing its files; gotk-components.yaml left out here).
    /// </summary>
    private static async Task WriteBootstrapAsync(string clusterFolder, string cluster)
    {
        var folder = Path.Combine(clusterFolder, "flux-system");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "gotk-sync.yaml"), $$"""
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata:
              name: flux-system
              namespace: flux-system
            spec:
              interval: 1m0s
              ref:
                branch: {{BranchOf(cluster)}}
              secretRef:
                name: flux-system
              url: ssh://git@github.com/fleet-infra/fleet-infra
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: flux-system
              namespace: flux-system
            spec:
              interval: 10m0s
              path: ./clusters/{{cluster}}
              prune: true
              sourceRef:
                kind: GitRepository
                name: flux-system

            """);
        await File.WriteAllTextAsync(Path.Combine(folder, "kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gotk-sync.yaml\n");
    }

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

/// <summary>One wave member as the model declares it.</summary>
/// <param name="Name">The resource name.</param>
/// <param name="Wave">Its wave.</param>
/// <param name="Chart">The chart it is installed from in a cluster, if any.</param>
/// <param name="OwnClusterForm">It writes its own cluster form (a <c>PublishAs…</c> call, a chart, the cluster configuration).</param>
/// <param name="Workload">FleetInfra writes its pods (a Deployment, StatefulSet or Job): a container or project neither installed from a chart nor run by an operator (<c>ClusterServiceAnnotation</c>).</param>
/// <param name="RunsToCompletion">It is a job: it exits once done.</param>
/// <param name="Route">Its route through the ingress: whether its UI needs the ingress's login (it has none of its own); null when not routed.</param>
/// <param name="ParentName">The resource it belongs to (a database's server), if any.</param>
/// <param name="AwsEmulator">It stands in for AWS: deployed only in the cluster overlays that emulate AWS.</param>
public sealed record ModelComponent(string Name, string Wave, Hosting.Publishing.HelmChart? Chart, bool OwnClusterForm, bool Workload, bool RunsToCompletion, bool? Route, string? ParentName, bool AwsEmulator)
{
    /// <summary>Whether the component is deployed in a cluster overlay.</summary>
    public bool DeployedIn(string cluster, PublishedTree tree) => !AwsEmulator || tree.ClustersEmulatingAws.Contains(cluster);

    internal static ModelComponent Of(IResource r) => new(
        r.Name,
        r.GetWave()!.Name,
        r.Annotations.OfType<Hosting.Publishing.HelmChartAnnotation>().LastOrDefault()?.Chart,
        r.HasAnnotationOfType<Hosting.Publishing.FluxPublishAnnotation>(),
        r is ContainerResource or ProjectResource && !r.HasAnnotationOfType<Hosting.Publishing.HelmChartAnnotation>() && !r.HasAnnotationOfType<Hosting.Publishing.ClusterServiceAnnotation>(),
        r.HasAnnotationOfType<RunsToCompletionAnnotation>(),
        r.Annotations.OfType<Hosting.Components.Traefik.TraefikRouteAnnotation>().LastOrDefault()?.RequireLogin,
        (r as IResourceWithParent)?.Parent.Name,
        r.HasAnnotationOfType<Hosting.Publishing.ClusterAwsEmulatorAnnotation>());
}

[CollectionDefinition(Name)]
public sealed class PublishedTreeCollection : ICollectionFixture<PublishedTree>
{
    public const string Name = "published tree";
}
