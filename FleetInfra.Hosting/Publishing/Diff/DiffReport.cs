using System.Text;

namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>The diff as Markdown (<c>diff.md</c>, for a pull-request comment) and as a few lines for the terminal.</summary>
internal static class DiffReport
{
    /// <summary>True when no cluster changes.</summary>
    public static bool None(IReadOnlyList<ClusterDiff> clusters) => clusters.All(c => c.Changes.Count == 0);

    public static string Markdown(IReadOnlyList<ClusterDiff> clusters)
    {
        var text = new StringBuilder();
        text.Append("# Flux diff\n\n");
        if (None(clusters))
        {
            text.Append($"No difference: every cluster ({string.Join(", ", clusters.Select(c => $"{c.Cluster} against {c.Base}"))}) would apply exactly what it applies now.\n");
            return text.ToString();
        }

        text.Append("| cluster | base | added | removed | changed | risks | waves reconciling | waves waiting downstream |\n|---|---|---:|---:|---:|---:|---|---|\n");
        foreach (var c in clusters)
        {
            text.Append($"| {c.Cluster} | `{c.Base}` | {Count(c, ChangeKind.Added)} | {Count(c, ChangeKind.Removed)} | {Count(c, ChangeKind.Changed)} | {c.Risks.Count} | {List(c.Reconciling)} | {List(c.Downstream)} |\n");
        }

        foreach (var c in clusters)
        {
            text.Append($"\n## {c.Cluster}\n\n");
            if (c.Changes.Count == 0)
            {
                text.Append("No difference.\n");
                continue;
            }

            if (c.Risks.Count > 0)
            {
                text.Append("### Risks\n\n");
                foreach (var r in c.Risks)
                {
                    text.Append($"- **{r.Key}** (wave `{r.Wave}`): {r.What}. Why: {r.Why}. What to do: {r.ToDo}.\n");
                }

                text.Append('\n');
            }

            text.Append($"### Impact\n\nReconciling: {List(c.Reconciling)}. Waiting for them again (dependsOn): {List(c.Downstream)}.\n\n");
            var workloads = c.Changes.Select(ch => (Change: ch, Restart: RestartImpact.Of(ch))).Where(w => w.Restart is not null).ToList();
            if (workloads.Count > 0)
            {
                text.Append("| workload | wave | pods restart |\n|---|---|---|\n");
                foreach (var (change, restart) in workloads)
                {
                    text.Append($"| {change.Key} | {change.Wave} | {restart} |\n");
                }

                text.Append('\n');
            }

            foreach (var wave in c.Changes.GroupBy(ch => ch.Wave))
            {
                text.Append($"### Wave `{wave.Key}`\n\n");
                foreach (var change in wave)
                {
                    text.Append($"- {change.Kind.ToString().ToLowerInvariant()}: **{change.Key}**{(change.Kind == ChangeKind.Changed ? "" : $" ({change.Current.File})")}\n");
                    foreach (var field in change.Fields)
                    {
                        text.Append($"  - `{field.Path}`: `{DiffYaml.Inline(field.Old)}` -> `{DiffYaml.Inline(field.New)}`\n");
                    }
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>A short summary: one line per cluster, one per risk.</summary>
    public static IReadOnlyList<string> Summary(IReadOnlyList<ClusterDiff> clusters)
    {
        if (None(clusters))
        {
            return ["No difference: the clusters would apply exactly what they apply now."];
        }

        var lines = new List<string>();
        foreach (var c in clusters)
        {
            lines.Add(c.Changes.Count == 0
                ? $"{c.Cluster}: no difference."
                : $"{c.Cluster}: {Count(c, ChangeKind.Added)} added, {Count(c, ChangeKind.Removed)} removed, {Count(c, ChangeKind.Changed)} changed; reconciling {List(c.Reconciling)}; waiting downstream {List(c.Downstream)}; {c.Risks.Count} risk(s).");
            lines.AddRange(c.Risks.Select(r => $"  risk: {c.Cluster} {r.Key} (wave {r.Wave}): {r.What}"));
        }

        return lines;
    }

    private static int Count(ClusterDiff c, ChangeKind kind) => c.Changes.Count(ch => ch.Kind == kind);

    private static string List(IReadOnlyList<string> waves) => waves.Count == 0 ? "none" : string.Join(", ", waves);
}
