using FleetInfra.Hosting.Documentation;

// The root namespace, like AddFleetInfra: Program.cs registers the step without another using.
namespace FleetInfra.Hosting;

/// <summary>Registers the <see cref="DocumentationStep"/>.</summary>
public static class FleetInfraDocumentationExtensions
{
    /// <summary>
    /// Adds the <c>generate-docs</c> pipeline step. It writes under the repository root (the AppHost project's
    /// parent folder), or under <c>--output-path</c> when one is given.
    /// </summary>
    public static FleetInfraBuilder AddDocumentationStep(this FleetInfraBuilder fleet)
    {
        var builder = fleet.App;
        if (string.Equals(builder.Configuration["Pipeline:Step"], DocumentationStep.Name, StringComparison.Ordinal))
        {
            // Aspire's manifest step writes to --output-path; this step owns the layout of the derived files,
            // so it points that path at the manifest's folder before the pipeline options are read.
            var root = builder.Configuration["Pipeline:OutputPath"] is { Length: > 0 } given
                ? Path.GetFullPath(given)
                : Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
            builder.Configuration["Pipeline:OutputPath"] = Path.Combine(root, Path.GetDirectoryName(DocumentationStep.Files[0])!);
        }

        builder.Pipeline.AddStep(DocumentationStep.Name, DocumentationStep.WriteAsync, dependsOn: DocumentationStep.ManifestStepName);
        return fleet;
    }
}
