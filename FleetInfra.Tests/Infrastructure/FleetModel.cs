using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Waves;
using Microsoft.Extensions.DependencyInjection;

namespace FleetInfra.Tests.Infrastructure;

/// <summary>Builds the real AppHost's model (no resource is started) with extra configuration arguments.</summary>
internal static class FleetModel
{
    /// <summary>
    /// Publish-mode runs neither read nor write Aspire's deployment state (~/.aspire/deployments): parameter
    /// values cached there by an earlier publish would otherwise override the test's own.
    /// </summary>
    public const string NoDeploymentState = "Pipeline:ClearCache=true";

    /// <summary>Production's IAM roles (publish mode requires them); a test's own arguments come later and win.</summary>
    public static readonly IReadOnlyDictionary<string, string> RoleArns = new Dictionary<string, string>
    {
        ["aws-external-secrets-role-arn"] = "arn:aws:iam::123456789012:role/fleet-infra-external-secrets",
        ["aws-postgres-backup-role-arn"] = "arn:aws:iam::123456789012:role/fleet-infra-postgres-backup",
    };

    public static async Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] args) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.FleetInfra_AppHost>(
            [.. RoleArns.Select(r => $"Parameters:{r.Key}={r.Value}"), .. args, NoDeploymentState], TestContext.Timeout);

    public static async Task<IDistributedApplicationTestingBuilder> CreatePublishAsync(params string[] args) =>
        await CreateAsync(["--operation", "publish", "--publisher", "manifest", .. args]);

    /// <summary>
    /// Builds the Flux tree of the real model in memory, as <c>aspire publish</c> would before writing it: publish mode with
    /// <paramref name="args"/>, after <paramref name="change"/> edited the model. <paramref name="inspect"/> sees the
    /// built app's model and services before they are disposed. The publisher's errors and lint failures propagate.
    /// </summary>
    public static async Task<FluxTree> PublishTreeAsync(Action<IDistributedApplicationTestingBuilder>? change = null, string[]? args = null,
        Action<DistributedApplicationModel, IServiceProvider>? inspect = null)
    {
        using var output = new TempFolder();
        await using var builder = await CreateAsync(["--operation", "publish", "--step", "publish", "--output-path", output.Path, .. args ?? []]);
        change?.Invoke(builder);
        await using var app = await builder.BuildAsync(TestContext.Timeout);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var tree = await FluxPublisher.BuildAsync(model, model.Resources.OfType<FluxEnvironmentResource>().Single(),
            app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), TestContext.Timeout);
        inspect?.Invoke(model, app.Services);
        return tree;
    }

    public static T Get<T>(this IDistributedApplicationTestingBuilder builder, string name)
        where T : IResource =>
        Assert.IsType<T>(Assert.Single(builder.Resources, r => r.Name == name), exactMatch: false);

    public static IResource Get(this IDistributedApplicationTestingBuilder builder, string name) =>
        Assert.Single(builder.Resources, r => r.Name == name);

    public static WaveResource Wave(this IDistributedApplicationTestingBuilder builder, string name) => builder.Get<WaveResource>(name);

    public static ContainerImageAnnotation Image(this IDistributedApplicationTestingBuilder builder, string name) =>
        builder.Get(name).Annotations.OfType<ContainerImageAnnotation>().Last();
}

/// <summary>Time limits for tests, so a hang fails instead of blocking CI.</summary>
internal static class TestContext
{
    public static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;
}
