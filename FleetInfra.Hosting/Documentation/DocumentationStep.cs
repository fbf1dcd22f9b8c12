using System.Text;
using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetInfra.Hosting.Documentation;

/// <summary>
/// The <c>generate-docs</c> pipeline step: one command regenerates every file derived from the model -
/// <c>aspire-manifest/aspire-manifest.json</c> (through Aspire's own <c>publish-manifest</c> step),
/// <c>docs/dependencies.md</c>, <c>docs/architecture.md</c> and the generated regions of <c>README.md</c> (architecture, ports).
/// </summary>
public static class DocumentationStep
{
    /// <summary>The step name: <c>--operation publish --step generate-docs</c>, or <c>aspire do generate-docs</c>.</summary>
    public const string Name = "generate-docs";

    /// <summary>Aspire's manifest step, which this step runs first.</summary>
    public const string ManifestStepName = "publish-manifest";

    /// <summary>The derived files, relative to the repository root.</summary>
    public static IReadOnlyList<string> Files { get; } =
        ["aspire-manifest/aspire-manifest.json", "docs/dependencies.md", "docs/architecture.md", "README.md"];

    internal static async Task WriteAsync(PipelineStepContext context)
    {
        var manifestFolder = context.Services.GetRequiredService<IOptions<PipelineOptions>>().Value.OutputPath
            ?? throw new InvalidOperationException($"Run '{FleetDocumentation.RegenerateCommand}'.");
        var root = Path.GetDirectoryName(Path.GetFullPath(manifestFolder))!;
        var resources = context.Model.Resources;

        await WriteAsync(context, root, Files[1], FleetDocumentation.Dependencies(resources, context.Services)).ConfigureAwait(false);
        await WriteAsync(context, root, Files[2], FleetDocumentation.ArchitectureDocument(resources)).ConfigureAwait(false);

        var readme = Path.Combine(root, Files[3]);
        var regions = FleetDocumentation.ReadmeRegions(resources);
        if (!File.Exists(readme))
        {
            await WriteAsync(context, root, Files[3], $"# FleetInfra\n\n{string.Join("\n", regions.Select(r => GeneratedRegion.Wrap(r.Region, r.Content)))}").ConfigureAwait(false);
            return;
        }

        var text = await File.ReadAllTextAsync(readme, context.CancellationToken).ConfigureAwait(false);
        var updated = text;
        var found = false;
        foreach (var (region, content) in regions)
        {
            if (GeneratedRegion.Replace(updated, region, content) is { } replaced)
            {
                updated = replaced;
                found = true;
            }
            else
            {
                context.Logger.LogWarning("{Readme} has no '{Begin}' ... '{End}' markers; its {Region} section was not updated.",
                    readme, GeneratedRegion.Begin(region), GeneratedRegion.End(region), region);
            }
        }

        if (found)
        {
            await WriteAsync(context, root, Files[3], updated).ConfigureAwait(false);
        }
    }

    private static async Task WriteAsync(PipelineStepContext context, string root, string relativePath, string text)
    {
        var path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), context.CancellationToken).ConfigureAwait(false);
        context.Logger.LogInformation("Generated {File}", relativePath);
    }
}

/// <summary>A region of a hand-written file that a generator owns, between BEGIN/END GENERATED markers.</summary>
internal static class GeneratedRegion
{
    public static string Begin(string name) => $"<!-- BEGIN GENERATED: {name} -->";

    public static string End(string name) => $"<!-- END GENERATED: {name} -->";

    /// <summary>The region with its markers.</summary>
    public static string Wrap(string name, string content) => $"{Begin(name)}\n{content}{End(name)}\n";

    /// <summary>The text between the markers, or null when the document has none.</summary>
    public static string? Extract(string document, string name) =>
        Bounds(document, name) is { } region ? document[region.Start..region.End] : null;

    /// <summary>The document with the region's content replaced, or null when it has no such region.</summary>
    public static string? Replace(string document, string name, string content) =>
        Bounds(document, name) is { } region ? string.Concat(document.AsSpan(0, region.Start), content, document.AsSpan(region.End)) : null;

    // From the line after BEGIN to the start of the END line.
    private static (int Start, int End)? Bounds(string document, string name)
    {
        var begin = document.IndexOf(Begin(name), StringComparison.Ordinal);
        var end = document.IndexOf(End(name), StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            return null;
        }

        var start = document.IndexOf('\n', begin) + 1;
        return start <= 0 || start > end ? null : (start, end);
    }
}
