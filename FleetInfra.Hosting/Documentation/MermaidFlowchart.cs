using System.Text;
using System.Text.RegularExpressions;
using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Graph;
using FleetInfra.Hosting.Waves;

namespace FleetInfra.Hosting.Documentation;

/// <summary>
/// A Mermaid flowchart of the model: one subgraph per wave holding its components, arrows pointing from what is
/// needed to what needs it (the order things come up).
/// </summary>
internal static partial class MermaidFlowchart
{
    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex NotIdentifier();

    /// <summary>
    /// Renders the chart. With <paramref name="serviceEdges"/> the service-level needs are drawn too; without,
    /// only the waves' <c>dependsOn</c>, which keeps the overview small enough to lay each wave out in a row.
    /// </summary>
    public static string Render(ModelView model, bool serviceEdges)
    {
        var chart = new StringBuilder();
        void Line(string text) => chart.Append(text).Append('\n');

        Line("```mermaid");
        // The overview flows left to right, each wave's members stacked; the detailed chart top-down, where
        // the service-level edges have room.
        Line(serviceEdges ? "flowchart TB" : "flowchart LR");
        foreach (var wave in model.Waves)
        {
            Line($"  subgraph {WaveId(wave)}[\"{wave.Name} · {FleetInfraSettings.FormatDuration(wave.DeclaredTimeout)}\"]");
            foreach (var component in model.ComponentsIn(wave))
            {
                Line($"    {Node(component)}");
            }

            Line("  end");
        }

        foreach (var wave in model.Waves)
        {
            foreach (var upstream in wave.DependsOn)
            {
                // A thick arrow is a Flux dependsOn of the seed; a dotted one an edge the model adds to it.
                Line(upstream.Deviation is null
                    ? $"  {WaveId(upstream.Wave)} ==> {WaveId(wave)}"
                    : $"  {WaveId(upstream.Wave)} -. \"added: see deviations\" .-> {WaveId(wave)}");
            }
        }

        if (serviceEdges)
        {
            foreach (var child in model.Components.Where(c => ModelView.ParentOf(c) is not null))
            {
                Line($"  {Id(ModelView.ParentOf(child)!)} --- {Id(child)}");
            }

            // A need of a database already says which server: its parent's edge would only add clutter.
            foreach (var need in model.Needs.Where(n => !model.Needs.Any(other => other.From == n.From && ModelView.ParentOf(other.To) == n.To)))
            {
                var label = need.Purpose ?? (need.Kinds.Contains(EdgeKind.WaitForCompletion) ? "completes first" : null);
                Line(need.Kinds.SequenceEqual([EdgeKind.Route])
                    ? $"  {Id(need.To)} -.- {Id(need.From)}"
                    : $"  {Id(need.To)} -->{(label is null ? "" : $"|\"{Escape(label)}\"|")} {Id(need.From)}");
            }
        }

        var clusterOnly = model.Components.Where(ModelView.IsClusterOnly).Select(Id).ToList();
        if (clusterOnly.Count > 0)
        {
            Line("  classDef clusterOnly fill:#f6f6f6,stroke:#999,stroke-dasharray:4 3,color:#555");
            Line($"  class {string.Join(",", clusterOnly)} clusterOnly");
        }

        Line("```");
        return chart.ToString();
    }

    private static string Node(IResource resource) => resource switch
    {
        _ when ModelView.ParentOf(resource) is not null => $"{Id(resource)}[(\"{resource.Name}\")]", // a database
        _ when resource.HasAnnotationOfType<RunsToCompletionAnnotation>() => $"{Id(resource)}{{{{\"{resource.Name}\"}}}}", // a job
        _ => $"{Id(resource)}[\"{resource.Name}\"]",
    };

    private static string Id(IResource resource) => NotIdentifier().Replace(resource.Name, "_");

    // Waves get a prefix: a component may share a wave's name.
    private static string WaveId(WaveResource wave) => "wave_" + Id(wave);

    private static string Escape(string text) => text.Replace("\"", "#quot;", StringComparison.Ordinal);
}
