using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// The Flux CD compute environment: <c>aspire publish</c> turns the waves of the model into Flux Kustomizations
/// and every component into manifests (a GitOps tree with a development and a production cluster overlay).
/// It carries two pipeline steps: <c>prepare-&lt;name&gt;</c> marks the components it deploys, and
/// <c>publish-&lt;name&gt;</c> builds, lints and writes the tree.
/// </summary>
public sealed class FluxEnvironmentResource : Resource, IComputeEnvironmentResource
{
    private readonly List<FluxClusterDefinition> _clusters = [];

    /// <summary>Creates the environment; add it with <see cref="FluxEnvironmentExtensions.AddFluxEnvironment"/>.</summary>
    public FluxEnvironmentResource(string name) : base(name)
    {
        Annotations.Add(new PipelineStepAnnotation(_ =>
        {
            var prepare = new PipelineStep
            {
                Name = $"prepare-{Name}",
                Description = $"Marks the components that the Flux environment '{Name}' deploys.",
                Action = PrepareAsync,
            };
            prepare.DependsOn(WellKnownPipelineSteps.ValidateComputeEnvironments);
            prepare.RequiredBy(WellKnownPipelineSteps.BeforeStart);

            var publish = new PipelineStep
            {
                Name = $"publish-{Name}",
                Description = $"Writes the Flux GitOps tree of '{Name}' (waves, workloads, policies).",
                Action = PublishAsync,
            };
            publish.DependsOn(WellKnownPipelineSteps.PublishPrereq);
            publish.RequiredBy(WellKnownPipelineSteps.Publish);
            return [prepare, publish];
        }));
    }

    /// <summary>The Git repository the clusters sync from (the published tree is its root).</summary>
    public string GitRepositoryUrl { get; internal set; } = "https://github.com/fleet-infra/fleet-infra";

    /// <summary>The namespace of the workloads of every wave that depends on the cluster configuration.</summary>
    public string WorkloadNamespace { get; internal set; } = "fleet-infra";

    /// <summary>The cluster overlays written under <c>clusters/</c>.</summary>
    public IReadOnlyList<FluxClusterDefinition> Clusters => _clusters;

    internal void AddCluster(FluxClusterDefinition cluster) => _clusters.Add(cluster);

    private Task PrepareAsync(PipelineStepContext context)
    {
        if (!context.ExecutionContext.IsPublishMode)
        {
            return Task.CompletedTask;
        }

        // Every wave member is deployed by this environment; the annotation tells Aspire (and other
        // compute environments) who owns the component.
        foreach (var component in FluxPublisher.Components(context.Model))
        {
            if (!component.Annotations.OfType<DeploymentTargetAnnotation>().Any(a => a.ComputeEnvironment == this))
            {
                component.Annotations.Add(new DeploymentTargetAnnotation(new FluxDeploymentTarget(component, this)) { ComputeEnvironment = this });
            }
        }

        return Task.CompletedTask;
    }

    private async Task PublishAsync(PipelineStepContext context)
    {
#pragma warning disable ASPIREPIPELINES004 // the output service is how 13.6 hands steps the --output-path; experimental by design
        var output = context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();
#pragma warning restore ASPIREPIPELINES004
        FluxTree tree;
        try
        {
            tree = await FluxPublisher.BuildAsync(context.Model, this, context.ExecutionContext, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FluxLintException or FluxPublishException)
        {
            // Aspire's pipeline logs a failed step but `dotnet run … --step publish` would still exit 0;
            // scripts and CI must see the failure.
            Environment.ExitCode = 1;
            throw;
        }

        FluxTreeWriter.Write(tree, output);
        context.Logger.LogInformation("Flux GitOps tree written to {Output}: {Waves} waves, {Objects} objects, clusters {Clusters}.",
            output, tree.Waves.Count, tree.Builds.Sum(b => b.Objects.Count), string.Join(", ", tree.Builds.Select(b => b.Cluster.Name)));
    }
}

/// <summary>A cluster overlay: the branch it tracks, how often it syncs, its domain, and where its AWS services are.</summary>
/// <param name="Name">Folder name under <c>clusters/</c>.</param>
/// <param name="Branch">The Git branch the cluster tracks.</param>
/// <param name="Interval">How often Flux reconciles.</param>
/// <param name="EmulatesAws">True: the model's AWS emulator is deployed and stands in for S3 and Secrets Manager (its region and endpoint).</param>
/// <param name="AwsRegion">The AWS region (a parameter; ignored when the overlay emulates AWS).</param>
/// <param name="S3Endpoint">The S3 endpoint for database backups (a parameter; ignored when the overlay emulates AWS).</param>
/// <param name="SecretsManagerEndpoint">The Secrets Manager endpoint (a parameter; ignored when the overlay emulates AWS).</param>
/// <param name="Strict">True: tighter quotas and per-container limits.</param>
public sealed record FluxClusterDefinition(
    string Name,
    string Branch,
    TimeSpan Interval,
    bool EmulatesAws,
    ParameterResource? AwsRegion,
    ParameterResource? S3Endpoint,
    ParameterResource? SecretsManagerEndpoint,
    bool Strict)
{
    /// <summary>
    /// Routes use the ingress's TLS entrypoint (plain HTTP redirects to it), UIs without a login of their own get basic
    /// authentication, and components take their public https URL.
    /// </summary>
    public bool Tls { get; init; }

    /// <summary>The DNS domain routed components answer under (<c>&lt;component&gt;.&lt;domain&gt;</c>).</summary>
    public required string Domain { get; init; }

    /// <summary>
    /// Service accounts assume the IAM roles their components declare (IRSA, <see cref="ClusterIamRoleAnnotation"/>); publishing
    /// requires each role's parameter (ignored when the overlay emulates AWS).
    /// </summary>
    public bool IamRoles { get; init; }
}

/// <summary>What a component becomes in the cluster; the target of its <see cref="DeploymentTargetAnnotation"/>.</summary>
internal sealed class FluxDeploymentTarget(IResource component, FluxEnvironmentResource environment) : Resource($"{component.Name}-{environment.Name}")
{
    public IResource Component { get; } = component;
}
