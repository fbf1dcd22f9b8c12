using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Publishing;

// Builder extensions live in FleetInfra.Hosting (like Aspire's in Aspire.Hosting): one using reaches every component's API.
namespace FleetInfra.Hosting;

/// <summary>Builder extensions for publishing the model as a Flux GitOps tree.</summary>
public static class FluxEnvironmentExtensions
{
    /// <summary>The development overlay's domain: routed components answer on <c>&lt;component&gt;.localhost</c>.</summary>
    private const string DevelopmentDomain = "localhost";

    /// <summary>The production overlay's domain (routes, TLS certificate <c>*.fleet-infra.dev</c>).</summary>
    private const string ProductionDomain = "fleet-infra.dev";

    /// <summary>The production overlay's default AWS region (the parameter <c>aws-region</c>) and of its default endpoints.</summary>
    private const string ProductionRegion = "eu-central-1";

    /// <summary>
    /// Adds the Flux environment: <c>aspire publish</c> then writes the GitOps tree. It brings a development
    /// overlay (branch develop, 1m, AWS emulated in the cluster, domain localhost) and a production overlay (branch main,
    /// 10m, AWS, domain fleet-infra.dev) whose region
    /// and endpoints are the parameters <c>aws-region</c>, <c>aws-s3-endpoint</c> and <c>aws-secretsmanager-endpoint</c>, and whose
    /// service accounts assume the IAM roles their components declare (IRSA, <see cref="WithClusterIamRole{T}(IResourceBuilder{T}, ClusterIamRole)"/>).
    /// </summary>
    public static IResourceBuilder<FluxEnvironmentResource> AddFluxEnvironment(this IDistributedApplicationBuilder builder, string name)
    {
        var environment = new FluxEnvironmentResource(name);
        // Parameters of the production overlay; the manifest has no use for them.
        var region = builder.AddParameter("aws-region", ProductionRegion).ExcludeFromManifest();
        var s3 = builder.AddParameter("aws-s3-endpoint", $"https://s3.{ProductionRegion}.amazonaws.com").ExcludeFromManifest();
        var secretsManager = builder.AddParameter("aws-secretsmanager-endpoint", $"https://secretsmanager.{ProductionRegion}.amazonaws.com").ExcludeFromManifest();
        // Publish settings: the repository the clusters sync from and each cluster's branch (FluxPublishSettings).
        var settings = FluxPublishSettings.Read(builder.Configuration);
        if (settings.GitRepository is { } url)
        {
            environment.GitRepositoryUrl = url;
        }

        environment.AddCluster(new FluxClusterDefinition("development", settings.Branch("development", "develop"), TimeSpan.FromMinutes(1), EmulatesAws: true, null, null, null, Strict: false) { Domain = DevelopmentDomain });
        environment.AddCluster(new FluxClusterDefinition("production", settings.Branch("production", "main"), TimeSpan.FromMinutes(10), EmulatesAws: false, region.Resource, s3.Resource, secretsManager.Resource, Strict: true)
        {
            Tls = true,
            Domain = ProductionDomain,
            IamRoles = true,
        });
        environment.Annotations.Add(Publishing.Diff.FluxDiffStep.Annotation(environment)); // `aspire do diff` (docs/reviewing-changes.md)
        // Locally the environment does nothing; say so instead of the dashboard's "Unknown".
        return builder.AddResource(environment).ExcludeFromManifest()
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "FluxEnvironment",
                State = new ResourceStateSnapshot("Publish target", KnownResourceStateStyles.Info),
                Properties = [new("fleetinfra.publish", "aspire publish -o DIR")],
            })
            .WithIconName("BranchFork");
    }

    /// <summary>Sets the Git repository URL the clusters sync from.</summary>
    public static IResourceBuilder<FluxEnvironmentResource> WithGitRepository(this IResourceBuilder<FluxEnvironmentResource> builder, string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        builder.Resource.GitRepositoryUrl = url;
        return builder;
    }

    /// <summary>In the cluster, installs the component from <paramref name="chart"/> (a Flux HelmRelease).</summary>
    /// <param name="builder">The component.</param>
    /// <param name="chart">The chart.</param>
    /// <param name="part">The values key of the chart part the component stands for (see <see cref="HelmChart.Parts"/>).</param>
    public static IResourceBuilder<T> WithHelmChart<T>(this IResourceBuilder<T> builder, HelmChart chart, string? part = null)
        where T : IResource
    {
        var chosen = part is null ? null : chart.Parts.FirstOrDefault(p => p.ValuesKey == part) ?? throw new ArgumentException(
            $"'{builder.Resource.Name}': chart '{chart.Chart}' has no part '{part}'. Allowed: {(chart.Parts.Count == 0 ? "none" : string.Join(", ", chart.Parts.Select(p => p.ValuesKey)))}.", nameof(part));
        builder.WithAnnotation(new HelmChartAnnotation(chart, chosen), ResourceAnnotationMutationBehavior.Replace)
            .PublishAsFlux<T>((component, context) => Publishing.Workloads.HelmReleaseWriter.Write(component, context));
        return chart.IamRole is { } role ? builder.WithClusterIamRole(role) : builder;
    }

    /// <summary>
    /// In a cluster overlay on AWS, the component's service account assumes <paramref name="role"/> (IRSA); the overlay
    /// resolves the role's parameter and the component's cluster form reads it with <c>FluxCluster.RoleArn</c>.
    /// </summary>
    public static IResourceBuilder<T> WithClusterIamRole<T>(this IResourceBuilder<T> builder, ClusterIamRole role)
        where T : IResource
    {
        // A role's ARN has no real default: a required publish parameter, named with every other missing one before
        // publishing starts (PublishParameters.Check). It exists only when publishing, so a local run never asks for it;
        // components sharing a role share its parameter.
        var app = builder.ApplicationBuilder;
        if (!app.ExecutionContext.IsPublishMode)
        {
            return builder;
        }

        var arn = app.AddRequiredPublishParameter(role.Parameter, $"the IAM role ARN of {role.What}").Resource;
        return builder.WithAnnotation(new ClusterIamRoleAnnotation(arn, role), ResourceAnnotationMutationBehavior.Replace);
    }

    /// <summary>In the cluster, the component's chart signs its admin in with <paramref name="password"/> (from an ExternalSecret).</summary>
    public static IResourceBuilder<T> WithChartAdminPassword<T>(this IResourceBuilder<T> builder, IResourceBuilder<ParameterResource> password)
        where T : IResource =>
        builder.WithAnnotation(new ChartAdminPasswordAnnotation(password.Resource), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>Publishes the component into <paramref name="ns"/> instead of its default namespace.</summary>
    public static IResourceBuilder<T> InNamespace<T>(this IResourceBuilder<T> builder, string ns)
        where T : IResource =>
        builder.WithAnnotation(new KubernetesNamespaceAnnotation(ns), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>Makes the component the cluster configuration (namespaces, RBAC, quotas, network policies, secret store).</summary>
    public static IResourceBuilder<T> AsClusterConfiguration<T>(this IResourceBuilder<T> builder)
        where T : IResource =>
        builder.WithAnnotation(new ClusterConfigurationAnnotation(), ResourceAnnotationMutationBehavior.Replace)
            .PublishAsFlux<T>((component, context) => Publishing.Workloads.ClusterConfigWriter.Write(component, context));

    /// <summary>Edits the objects published for the component (they are linted afterwards).</summary>
    public static IResourceBuilder<T> WithFluxManifests<T>(this IResourceBuilder<T> builder, Action<FluxComponentManifests> customize)
        where T : IResource =>
        builder.WithAnnotation(new FluxManifestsAnnotation(customize), ResourceAnnotationMutationBehavior.Append);
}

/// <summary>
/// A parameter that configuration must set: its default is empty (so nothing prompts for it), and the publisher fails
/// naming the parameter when it is still empty. Configuration (<c>Parameters:&lt;name&gt;</c>) overrides a default.
/// </summary>
internal sealed class UnsetParameterDefault : ParameterDefault
{
    public override string GetDefaultValue() => "";

    public override void WriteToManifest(Aspire.Hosting.Publishing.ManifestPublishingContext context)
    {
        // Excluded from the manifest: nothing to write.
    }
}
