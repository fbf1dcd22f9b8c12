using Aspire.Hosting.Pipelines;
using FleetInfra.Hosting.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>
/// The <c>diff</c> pipeline step (<c>aspire do diff</c>): publishes the current model in memory, compares what each
/// cluster would apply with what it applies from its base tree (<see cref="FluxDiffSettings"/>), writes
/// <c>&lt;output&gt;/diff.md</c> and a summary. It runs after <c>publish-prereq</c>, like the publish step, so it resolves
/// the same parameters the same way; the tree it builds needs no secret value (secrets are references).
/// </summary>
internal static class FluxDiffStep
{
    public const string Name = "diff";

    public static PipelineStepAnnotation Annotation(FluxEnvironmentResource environment) => new(_ =>
    {
        var step = new PipelineStep
        {
            Name = Name,
            Description = $"Shows, cluster by cluster and wave by wave, what the model changes against a published tree ({FluxDiffSettings.BaseKey}) and what that puts at risk.",
            Action = context => RunAsync(context, environment),
        };
        step.DependsOn(WellKnownPipelineSteps.PublishPrereq);
        return step;
    });

    private static async Task RunAsync(PipelineStepContext context, FluxEnvironmentResource environment)
    {
        try
        {
            var clusters = environment.Clusters.Select(c => c.Name).ToList();
            var settings = FluxDiffSettings.Parse(context.Services.GetRequiredService<IConfiguration>(), clusters);
            var bases = settings.BaseByCluster.Values.Distinct().ToDictionary(p => p, TreeRenderer.ReadFiles);
            var tree = await FluxPublisher.BuildAsync(context.Model, environment, context.ExecutionContext, context.CancellationToken).ConfigureAwait(false);
            var current = FluxTreeWriter.Files(tree);
            var graph = WaveGraph.From(tree.Waves);
            var parsed = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
            var diffs = clusters.Select(c => FluxDiff.Cluster(c, settings.BaseByCluster[c], bases[settings.BaseByCluster[c]], current, graph, parsed)).ToList();

#pragma warning disable ASPIREPIPELINES004 // the output service is how 13.6 hands steps the --output-path; experimental by design
            var output = context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();
#pragma warning restore ASPIREPIPELINES004
            Directory.CreateDirectory(output);
            var report = Path.Combine(output, "diff.md");
            await File.WriteAllTextAsync(report, DiffReport.Markdown(diffs), context.CancellationToken).ConfigureAwait(false);
            foreach (var line in DiffReport.Summary(diffs))
            {
                context.Logger.LogInformation("{Line}", line);
            }

            context.Logger.LogInformation("Diff written to {Report}.", report);
            var fail = settings.FailOn switch
            {
                DiffFailOn.Risk when diffs.Any(d => d.Risks.Count > 0) => $"{FluxDiffSettings.FailOnKey}=risk: {diffs.Sum(d => d.Risks.Count)} risk(s), see {report}",
                DiffFailOn.Change when !DiffReport.None(diffs) => $"{FluxDiffSettings.FailOnKey}=change: the clusters would change, see {report}",
                _ => null,
            };
            if (fail is not null)
            {
                Environment.ExitCode = 1;
                context.Logger.LogError("{Failure}", fail);
            }
        }
        catch (Exception e) when (e is FleetInfraConfigurationException or NotAPublishedTreeException or FluxLintException or FluxPublishException)
        {
            // One clear line and exit code 1 (thrown, the pipeline would log the failure three times with a stack trace).
            Environment.ExitCode = 1;
            var message = e is NotAPublishedTreeException ? $"{FluxDiffSettings.BaseKey}: {e.Message}" : e.Message;
            context.Logger.LogError("{Failure}", message);
        }
    }
}
