namespace FleetInfra.Benchmarks.PublishScale;

/// <summary>
/// The objects a published tree gives its clusters, counted from its files: every document of a wave folder once per
/// cluster (each cluster applies it), plus every document of a cluster's Component folder under the wave. The same
/// number the publish step logs (the objects of every cluster overlay).
/// </summary>
internal static class TreeCount
{
    public static int Objects(string tree)
    {
        var clusters = Directory.GetDirectories(Path.Combine(tree, "clusters")).Select(Path.GetFileName).OfType<string>().ToHashSet();
        var total = 0;
        foreach (var wave in Directory.GetFiles(Path.Combine(tree, "base"), "*.yaml").Select(Path.GetFileNameWithoutExtension).Where(w => w != "kustomization"))
        {
            total += clusters.Count * Documents(Path.Combine(tree, wave!));
            total += clusters.Where(c => Directory.Exists(Path.Combine(tree, wave!, c))).Sum(c => Documents(Path.Combine(tree, wave!, c)));
        }

        return total;
    }

    private static int Documents(string folder) =>
        Directory.GetFiles(folder, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .Sum(f => File.ReadLines(f).Count(l => l == "---") + 1);
}
