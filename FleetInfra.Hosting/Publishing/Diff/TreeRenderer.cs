using System.Text.RegularExpressions;

namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>
/// Rebuilds what a cluster applies from the files of a published tree, without kubectl: <c>clusters/&lt;cluster&gt;/</c>
/// lists <c>../../base</c> (the wave Kustomizations) and patches them (merge patches that target Kustomizations by group,
/// version, kind, name and label selector); each wave Kustomization then applies its <c>spec.path</c> folder plus the
/// <c>spec.components</c> the patches gave it. That is the subset of kustomize the publisher writes (FluxTreeWriter);
/// anything else is refused with the file and the field, so a hand-edited tree is never half-read.
/// </summary>
/// <remarks>
/// Patches on a custom resource are merged as kustomize merges a type it has no schema for: mappings merge key by key,
/// lists and scalars are replaced (kustomize docs, "patches": strategic merge on CRDs falls back to JSON merge patch
/// semantics). <c>flux-system</c> (written by flux bootstrap, not by the publisher) is not read.
/// </remarks>
internal static class TreeRenderer
{
    private static readonly HashSet<string> s_kustomizationKeys = new(StringComparer.Ordinal) { "apiVersion", "kind", "resources", "components", "patches" };

    /// <summary>The files of a published tree on disk (YAML only), by path relative to <paramref name="root"/> with '/'.</summary>
    public static SortedDictionary<string, string> ReadFiles(string root)
    {
        if (!File.Exists(Path.Combine(root, "base", "kustomization.yaml")) || !Directory.Exists(Path.Combine(root, "clusters")))
        {
            throw new NotAPublishedTreeException($"'{root}' is not a published Flux tree (no base/kustomization.yaml and clusters/ folder)");
        }

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (!relative.StartsWith(".git/", StringComparison.Ordinal))
            {
                files[relative] = File.ReadAllText(file);
            }
        }

        return files;
    }

    /// <summary>
    /// What <paramref name="cluster"/> applies, or null when the tree has no such cluster. <paramref name="parsed"/> holds
    /// the documents of every file text read so far: a file both trees (or both clusters) share is parsed once, and its
    /// objects are the same instances on both sides, which the comparer then skips.
    /// </summary>
    public static ClusterTree? Render(IReadOnlyDictionary<string, string> files, string cluster, Dictionary<string, IReadOnlyList<object?>>? parsed = null)
    {
        parsed ??= new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
        var root = $"clusters/{cluster}";
        if (!files.ContainsKey($"{root}/kustomization.yaml"))
        {
            return null;
        }

        // The wave Kustomizations: the cluster folder's resources (except bootstrap's flux-system), patched.
        var overlay = Kustomization(files, root);
        var kustomizations = new List<ClusterObject>();
        foreach (var resource in Strings(overlay, "resources", root).Where(r => r != "flux-system"))
        {
            kustomizations.AddRange(Load(files, Join(root, resource), "", parsed));
        }

        foreach (var patch in overlay.GetValueOrDefault("patches") as List<object?> ?? [])
        {
            Apply(kustomizations, patch as Dictionary<string, object?> ?? throw Bad(root, "a patch that is not a mapping"), root);
        }

        var objects = new List<ClusterObject>();
        var byWave = new Dictionary<string, ClusterObject>(StringComparer.Ordinal);
        foreach (var kustomization in kustomizations.Where(k => k.Key.Kind == "Kustomization" && k.Key.Group == "kustomize.toolkit.fluxcd.io"))
        {
            var wave = kustomization.Key.Name;
            byWave[wave] = kustomization with { Wave = wave };
            var path = (kustomization.At("spec.path") as string ?? throw Bad(kustomization.File, $"Kustomization '{wave}' without spec.path")).TrimStart('.', '/');
            objects.AddRange(Load(files, path, wave, parsed));
            foreach (var component in kustomization.At("spec.components") as List<object?> ?? [])
            {
                objects.AddRange(Load(files, Join(path, component as string ?? ""), wave, parsed));
            }
        }

        return new ClusterTree(cluster, byWave, objects);
    }

    /// <summary>The objects of a kustomization folder: its resources (files, or folders with their own kustomization) and components.</summary>
    private static IEnumerable<ClusterObject> Load(IReadOnlyDictionary<string, string> files, string folder, string wave, Dictionary<string, IReadOnlyList<object?>> parsed)
    {
        var kustomization = Kustomization(files, folder);
        if (kustomization.ContainsKey("patches"))
        {
            throw Bad($"{folder}/kustomization.yaml", "patches in a wave folder (the publisher writes none there)");
        }

        foreach (var resource in Strings(kustomization, "resources", folder).Concat(Strings(kustomization, "components", folder)))
        {
            var path = Join(folder, resource);
            if (files.TryGetValue(path, out var text))
            {
                if (!parsed.TryGetValue(text, out var documents))
                {
                    parsed[text] = documents = DiffYaml.Documents(text, path).ToList();
                }

                foreach (var document in documents)
                {
                    var value = document as Dictionary<string, object?> ?? throw Bad(path, "a document that is not a Kubernetes object");
                    yield return new ClusterObject(wave, ObjectKey.Of(value), value, path);
                }
            }
            else if (files.ContainsKey($"{path}/kustomization.yaml"))
            {
                foreach (var o in Load(files, path, wave, parsed))
                {
                    yield return o;
                }
            }
            else
            {
                throw Bad($"{folder}/kustomization.yaml", $"resource '{resource}' does not exist");
            }
        }
    }

    private static Dictionary<string, object?> Kustomization(IReadOnlyDictionary<string, string> files, string folder)
    {
        var file = $"{folder}/kustomization.yaml";
        if (!files.TryGetValue(file, out var text))
        {
            throw new NotAPublishedTreeException($"{file} is missing");
        }

        var value = DiffYaml.Documents(text, file).SingleOrDefault() as Dictionary<string, object?> ?? throw Bad(file, "not one kustomization document");
        if (value.Keys.FirstOrDefault(k => !s_kustomizationKeys.Contains(k)) is { } unknown)
        {
            throw Bad(file, $"'{unknown}' (the publisher writes only resources, components and patches)");
        }

        return value;
    }

    /// <summary>Applies one kustomize patch (inline <c>patch</c> with a <c>target</c>) to the Kustomizations it selects.</summary>
    private static void Apply(List<ClusterObject> objects, Dictionary<string, object?> patch, string folder)
    {
        var file = $"{folder}/kustomization.yaml";
        var text = patch.GetValueOrDefault("patch") as string ?? throw Bad(file, "a patch without an inline 'patch' (patch files are not written by the publisher)");
        var target = patch.GetValueOrDefault("target") as Dictionary<string, object?> ?? throw Bad(file, "a patch without a target");
        var body = DiffYaml.Documents(text, file).SingleOrDefault() as Dictionary<string, object?> ?? throw Bad(file, "a patch that is not one mapping");
        for (var i = 0; i < objects.Count; i++)
        {
            if (Selects(target, objects[i], file))
            {
                var merged = (Dictionary<string, object?>)Merge(objects[i].Value, body)!;
                objects[i] = objects[i] with { Value = merged };
            }
        }
    }

    private static bool Selects(Dictionary<string, object?> target, ClusterObject o, string file)
    {
        var apiVersion = o.Value.GetValueOrDefault("apiVersion") as string ?? "";
        var version = apiVersion.Contains('/') ? apiVersion[(apiVersion.IndexOf('/') + 1)..] : apiVersion;
        bool Matches(string key, string actual) =>
            target.GetValueOrDefault(key) is not string wanted || Regex.IsMatch(actual, $"^(?:{wanted})$"); // kustomize: name and namespace are regular expressions
        if (!Matches("group", o.Key.Group) || !Matches("version", version) || !Matches("kind", o.Key.Kind) || !Matches("name", o.Key.Name))
        {
            return false;
        }

        if (target.GetValueOrDefault("labelSelector") is not string selector)
        {
            return true;
        }

        var labels = o.At("metadata.labels") as Dictionary<string, object?> ?? [];
        foreach (var term in selector.Split(','))
        {
            var parts = term.Split("=", 2);
            if (parts.Length != 2 || term.Contains("!=", StringComparison.Ordinal))
            {
                throw Bad(file, $"label selector '{selector}' (only key=value terms are read)");
            }

            if (labels.GetValueOrDefault(parts[0].Trim()) as string != parts[1].TrimStart('=').Trim())
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>JSON merge patch semantics: mappings merge, null deletes, anything else replaces.</summary>
    private static object? Merge(object? target, object? patch)
    {
        if (patch is not Dictionary<string, object?> patchMap)
        {
            return patch;
        }

        var result = target is Dictionary<string, object?> map ? new Dictionary<string, object?>(map, StringComparer.Ordinal) : new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in patchMap)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Merge(result.GetValueOrDefault(key), value);
            }
        }

        return result;
    }

    private static IEnumerable<string> Strings(Dictionary<string, object?> kustomization, string key, string folder) =>
        (kustomization.GetValueOrDefault(key) as List<object?> ?? []).Select(r => r as string ?? throw Bad($"{folder}/kustomization.yaml", $"a {key} entry that is not a path"));

    /// <summary>A path relative to a folder of the tree, normalized (<c>clusters/dev/../../base</c> is <c>base</c>).</summary>
    private static string Join(string folder, string relative)
    {
        var parts = new List<string>();
        foreach (var part in $"{folder}/{relative}".Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }

    private static NotAPublishedTreeException Bad(string file, string what) => new($"{file}: {what}");
}
