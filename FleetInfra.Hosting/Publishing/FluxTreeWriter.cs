using System.Text;
using FleetInfra.Hosting.Publishing.Manifests;
using k8s;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// Writes the tree: objects identical in every cluster overlay go to the wave folder, the others to a kustomize
/// Component per overlay (<c>&lt;wave&gt;/&lt;cluster&gt;/</c>) that the overlay's Flux Kustomization adds.
/// </summary>
internal static class FluxTreeWriter
{
    /// <summary>
    /// The source of every wave: the GitRepository <c>flux bootstrap --path=clusters/&lt;cluster&gt;</c> writes into
    /// <c>clusters/&lt;cluster&gt;/flux-system/gotk-sync.yaml</c> (fluxcd/flux2 pkg/manifestgen/sync, default name flux-system).
    /// </summary>
    public const string GitRepositoryName = "flux-system";

    /// <summary>The folder <c>flux bootstrap</c> writes into each cluster's path; the cluster kustomization must list it.</summary>
    public const string BootstrapFolder = "flux-system";

    public static void Write(FluxTree tree, string output)
    {
        Directory.CreateDirectory(output);
        // Only what this writer owns is replaced; anything else in the folder is left alone.
        foreach (var owned in tree.Waves.Select(w => w.Name).Concat(["base", "clusters"]))
        {
            var path = Path.Combine(output, owned);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }

        var files = Files(tree);
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(output, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
    }

    /// <summary>Every file of the tree, by relative path (forward slashes).</summary>
    public static SortedDictionary<string, string> Files(FluxTree tree)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var builds = tree.Builds;
        var serialized = builds.ToDictionary(b => b.Cluster.Name, b => b.Objects.Select(o => (Object: o, Yaml: FluxYaml.Serialize(o.Value))).ToList());

        // Common: same wave, file and YAML in every overlay.
        static string Key(FluxObject o, string yaml) => $"{o.Wave}\n{o.File}\n{yaml}";
        var perCluster = serialized.ToDictionary(s => s.Key, s => s.Value.Select(x => Key(x.Object, x.Yaml)).ToHashSet(StringComparer.Ordinal));
        bool IsCommon(string key) => perCluster.Values.All(set => set.Contains(key));

        var componentsByCluster = builds.ToDictionary(b => b.Cluster.Name, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (var wave in tree.Waves)
        {
            var common = serialized.First().Value.Where(x => x.Object.Wave == wave.Name && IsCommon(Key(x.Object, x.Yaml))).ToList();
            WriteFolder(files, wave.Name, common, component: false);
            foreach (var (cluster, items) in serialized)
            {
                var specific = items.Where(x => x.Object.Wave == wave.Name && !IsCommon(Key(x.Object, x.Yaml))).ToList();
                if (specific.Count > 0)
                {
                    WriteFolder(files, $"{wave.Name}/{cluster}", specific, component: true);
                    componentsByCluster[cluster].Add(wave.Name);
                }
            }
        }

        // base: one Flux Kustomization per wave, in the seed's order.
        foreach (var wave in tree.Waves)
        {
            var kinds = builds.SelectMany(b => b.Objects).Where(o => o.Wave == wave.Name).Select(o => (o.Value.ApiVersion, o.Value.Kind)).ToHashSet();
            files[$"base/{wave.Name}.yaml"] = FluxYaml.Serialize(Kustomization(wave, tree.HealthCheckExpressions.Where(h => kinds.Contains((h.ApiVersion, h.Kind))).ToList()));
        }

        files["base/kustomization.yaml"] = FluxYaml.Serialize(new KustomizeFile("kustomize.config.k8s.io/v1beta1", "Kustomization",
            Resources: tree.Waves.Select(w => $"{w.Name}.yaml").ToList()));

        foreach (var build in builds)
        {
            var cluster = build.Cluster;
            var patches = new List<KustomizePatch>
            {
                Patch(null, new Dictionary<string, object> { ["interval"] = FluxBuildContext.Duration(cluster.Interval) }),
            };
            patches.AddRange(componentsByCluster[cluster.Name].OrderBy(w => tree.Waves.First(x => x.Name == w).Order)
                .Select(w => Patch(w, new Dictionary<string, object> { ["components"] = new[] { cluster.Name } })));
            files[$"clusters/{cluster.Name}/kustomization.yaml"] = FluxYaml.Serialize(new KustomizeFile("kustomize.config.k8s.io/v1beta1", "Kustomization",
                // flux-system: what `flux bootstrap` writes here (Flux's own components and sync); without it in the list the
                // bootstrap Kustomization would prune Flux itself.
                Resources: [BootstrapFolder, "../../base"],
                Patches: patches));
        }

        files["dependency-graph.json"] = tree.Graph.ToJson();
        files["README.md"] = FluxReadme.Render(tree, componentsByCluster);
        return files;
    }

    public static CustomObject<FluxKustomizationSpec> Kustomization(FluxWave wave, IReadOnlyList<HealthCheckExpression> healthChecks) =>
        Crd.Create("kustomize.toolkit.fluxcd.io/v1", "Kustomization",
            new V1ObjectMeta { Name = wave.Name, NamespaceProperty = FluxBuildContext.FluxNamespace, Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = FluxBuildContext.PartOf } },
            new FluxKustomizationSpec(
                Interval: "10m",
                RetryInterval: "1m",
                Timeout: FluxBuildContext.Duration(wave.Wave.Timeout),
                Path: $"./{wave.Name}",
                Prune: true,
                Wait: true,
                SourceRef: new KindRef("GitRepository", GitRepositoryName),
                DependsOn: wave.Wave.DependsOn.Count > 0 ? wave.Wave.DependsOn.Select(d => new NamedRef(d.Wave.Name)).ToList() : null,
                HealthCheckExprs: healthChecks.Count > 0 ? healthChecks : null));

    private static KustomizePatch Patch(string? wave, Dictionary<string, object> spec) =>
        new(FluxYaml.Serialize(Crd.Create("kustomize.toolkit.fluxcd.io/v1", "Kustomization", new V1ObjectMeta { Name = wave ?? "all" }, spec)),
            // Only the waves (by their label): the bootstrap's own flux-system Kustomization keeps its settings.
            new KustomizePatchTarget("kustomize.toolkit.fluxcd.io", "v1", "Kustomization", wave, LabelSelector: $"app.kubernetes.io/part-of={FluxBuildContext.PartOf}"));

    private static void WriteFolder(SortedDictionary<string, string> files, string folder, List<(FluxObject Object, string Yaml)> items, bool component)
    {
        var byFile = items.GroupBy(i => i.Object.File).ToList();
        foreach (var file in byFile)
        {
            var text = new StringBuilder();
            foreach (var (_, yaml) in file)
            {
                text.Append(text.Length > 0 ? "---\n" : "").Append(yaml.EndsWith('\n') ? yaml : yaml + "\n");
            }

            files[$"{folder}/{file.Key}"] = text.ToString();
        }

        files[$"{folder}/kustomization.yaml"] = FluxYaml.Serialize(component
            ? new KustomizeFile("kustomize.config.k8s.io/v1alpha1", "Component", Resources: byFile.Select(f => f.Key).ToList())
            : new KustomizeFile("kustomize.config.k8s.io/v1beta1", "Kustomization", Resources: byFile.Select(f => f.Key).ToList()));
    }
}
