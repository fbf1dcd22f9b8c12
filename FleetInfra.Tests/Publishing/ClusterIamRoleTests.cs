using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Waves;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Publishing;

/// <summary>An IAM role is a component's declaration: the overlay on AWS resolves it, the component's cluster form reads its own.</summary>
public class ClusterIamRoleTests
{
    private static readonly ClusterIamRole s_role = new("aws-echo-role-arn", Who: "the echo servers", What: "the echo servers' service account");

    private static Task<FluxTree> PublishAsync(Action<IDistributedApplicationTestingBuilder> change, params string[] args) =>
        FleetModel.PublishTreeAsync(change, args);

    private static void AddEcho(IDistributedApplicationTestingBuilder builder, Dictionary<string, string?> seen) =>
        builder.AddContainer("echo", "hashicorp/http-echo", "1.0.0")
            .WithClusterIamRole(s_role)
            .PublishAsFlux<ContainerResource>((echo, context) =>
            {
                seen[context.Cluster.Name] = context.Cluster.RoleArn(echo);
                context.Add(echo, "echo.yaml", new k8s.Models.V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = context.Meta(echo, "echo-role") });
            })
            .InWave(builder.CreateResourceBuilder(builder.Wave("database-ui")));

    [Fact]
    public async Task A_declared_role_reaches_the_components_own_cluster_form_in_production_only()
    {
        var seen = new Dictionary<string, string?>();
        var tree = await PublishAsync(b => AddEcho(b, seen), "Parameters:aws-echo-role-arn=arn:aws:iam::123456789012:role/echo");

        Assert.Equal("arn:aws:iam::123456789012:role/echo", seen["production"]);
        Assert.Null(seen["development"]);
        Assert.Contains("and External Secrets and the PostgreSQL instances and the echo servers authenticate with IAM roles for service accounts.", FluxReadmeOf(tree));
    }

    [Fact]
    public async Task Publishing_without_a_declared_roles_value_fails_naming_the_parameter_and_the_service_account()
    {
        var failure = await Assert.ThrowsAsync<FluxPublishException>(() => PublishAsync(b => AddEcho(b, [])));

        Assert.Contains("Cluster overlay 'production': parameter 'aws-echo-role-arn' (the IAM role ARN of the echo servers' service account) has no value.", failure.Message);
    }

    [Fact]
    public async Task A_local_run_has_no_role_parameters()
    {
        await using var builder = await FleetModel.CreateAsync();

        Assert.DoesNotContain(builder.Resources.OfType<ParameterResource>(), p => p.Name.EndsWith("-role-arn", StringComparison.Ordinal));
        Assert.DoesNotContain(builder.Resources, r => r.HasAnnotationOfType<ClusterIamRoleAnnotation>());
    }

    [Fact]
    public async Task The_models_roles_are_declared_by_their_components()
    {
        await using var builder = await FleetModel.CreatePublishAsync();

        var declared = FleetComponents.Of(builder.Resources)
            .Select(c => (c.Name, Role: c.Annotations.OfType<ClusterIamRoleAnnotation>().LastOrDefault()))
            .Where(c => c.Role is not null)
            .Select(c => (c.Name, c.Role!.RoleArn.Name))
            .ToList();
        Assert.Equal([("external-secrets", "aws-external-secrets-role-arn"), ("postgres", "aws-postgres-backup-role-arn")], declared);
    }

    private static string FluxReadmeOf(FluxTree tree) => FluxReadme.Render(tree, tree.Builds.ToDictionary(b => b.Cluster.Name, _ => new HashSet<string>()));
}
