using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using FleetInfra.Hosting.Components.ClusterOnly;
using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Waves;

namespace FleetInfra.Hosting.Graph;

/// <summary>
/// The dependency graph of a model as a document (<c>dependency-graph.json</c> in the published tree): the components
/// with their wave, the edges between them, and the waves with their Flux <c>dependsOn</c>, timeout and deviations.
/// </summary>
/// <param name="Resources">Components and their databases.</param>
/// <param name="Edges">Edges between them (and from waves to members).</param>
/// <param name="Waves">The waves in declaration order.</param>
public sealed record DependencyGraphDocument(IReadOnlyList<GraphResource> Resources, IReadOnlyList<GraphEdge> Edges, IReadOnlyList<GraphWave> Waves)
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // readable '>' and quotes in reasons; the file is not HTML
    };

    /// <summary>Builds the document from the resources of a model.</summary>
    public static DependencyGraphDocument From(IEnumerable<IResource> resources)
    {
        var all = resources.ToList();
        var components = FleetComponents.WithChildren(all).ToList();
        var names = components.Select(c => c.Name).Concat(all.OfType<WaveResource>().Select(w => w.Name)).ToHashSet(StringComparer.Ordinal);
        return new DependencyGraphDocument(
            components.Select(c => new GraphResource(c.Name, c.GetWave()!.Name, c is ClusterOnlyResource ? GraphPlacement.ClusterOnly : GraphPlacement.Local)).ToList(),
            FleetGraph.Edges(all).Where(e => names.Contains(e.From) && names.Contains(e.To)).Select(e => new GraphEdge(e.From, e.To, e.Kind)).ToList(),
            all.OfType<WaveResource>().Select(w => new GraphWave(
                w.Name,
                w.DependsOn.Select(d => d.Wave.Name).ToList(),
                FleetInfraSettings.FormatDuration(w.Timeout),
                w.DependsOn.Where(d => d.Deviation is not null).Select(d => new GraphDeviation(d.Wave.Name, d.Deviation!)).ToList())).ToList());
    }

    /// <summary>The document as indented JSON (camelCase, enums as strings).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json) + "\n";

    /// <summary>Reads a document written by <see cref="ToJson"/>.</summary>
    public static DependencyGraphDocument? FromJson(string json) => JsonSerializer.Deserialize<DependencyGraphDocument>(json, s_json);
}

/// <summary>Where a component runs.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GraphPlacement>))]
public enum GraphPlacement
{
    /// <summary>Runs locally (and in the cluster).</summary>
    [JsonStringEnumMemberName("local")]
    Local,

    /// <summary>Exists only in a cluster.</summary>
    [JsonStringEnumMemberName("cluster-only")]
    ClusterOnly,
}

/// <summary>A component of the graph.</summary>
/// <param name="Name">Resource name.</param>
/// <param name="Wave">Its wave.</param>
/// <param name="Placement">Local or cluster-only.</param>
public sealed record GraphResource(string Name, string Wave, GraphPlacement Placement);

/// <summary>An edge: <paramref name="From"/> needs <paramref name="To"/>.</summary>
/// <param name="From">The dependent.</param>
/// <param name="To">The dependency.</param>
/// <param name="Kind">What kind of need.</param>
public sealed record GraphEdge(string From, string To, [property: JsonConverter(typeof(JsonStringEnumConverter<EdgeKind>))] EdgeKind Kind);

/// <summary>A wave: Flux <c>dependsOn</c>, timeout, and why edges the seed lacks were added.</summary>
/// <param name="Name">Wave name (the Flux Kustomization's name).</param>
/// <param name="DependsOn">Upstream waves.</param>
/// <param name="Timeout">Flux timeout (<c>5m</c>).</param>
/// <param name="Deviations">Edges that deviate from the seed, with their reason.</param>
public sealed record GraphWave(string Name, IReadOnlyList<string> DependsOn, string Timeout, IReadOnlyList<GraphDeviation> Deviations);

/// <summary>An edge the seed's table does not have.</summary>
/// <param name="Upstream">The upstream wave.</param>
/// <param name="Reason">Why the model needs it.</param>
public sealed record GraphDeviation(string Upstream, string Reason);
