using BenchmarkDotNet.Attributes;

namespace FleetInfra.Benchmarks;

/// <summary>
/// What building the app model costs before anything starts: the real AppHost (its Program.cs run through
/// <see cref="DistributedApplicationTestingBuilder"/>, FleetInfra's configuration checks, wave edges, images)
/// against bare Aspire builders holding as many resources, so the ratio is FleetInfra's own share.
/// </summary>
/// <remarks>
/// Every benchmark creates a builder, builds the application (the DI container, Aspire's services) and disposes
/// it; nothing is started, no container runtime is needed. The baselines take their sizes from the real model
/// in <see cref="Setup"/>, so they stay comparable when components are added.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(ModelBuildConfig))]
public class ModelBuildBenchmarks
{
    // Run mode without deployment state, like the model tests; generated parameters are not resolved by a build.
    private static readonly string[] s_appHostArgs = ["Pipeline:ClearCache=true"];

    private int _containers;
    private int _parameters;

    /// <summary>Counts the real model's containers and parameters for the baselines.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var builder = DistributedApplicationTestingBuilder.CreateAsync<Projects.FleetInfra_AppHost>(s_appHostArgs).GetAwaiter().GetResult();
        _containers = builder.Resources.OfType<ContainerResource>().Count();
        _parameters = builder.Resources.OfType<ParameterResource>().Count();
        builder.Dispose();
        Console.WriteLine($"// FleetInfra model: {_containers} containers, {_parameters} parameters");
    }

    /// <summary>A bare Aspire builder with the same number of plain containers (one endpoint each) and parameters.</summary>
    [Benchmark(Baseline = true, Description = "Aspire: plain containers, same count")]
    public async Task PlainContainers()
    {
        var builder = CreateBareBuilder();
        AddParameters(builder, _parameters);
        AddPlainContainers(builder, _containers);
        await using var app = builder.Build();
    }

    /// <summary>Aspire's own AddPostgres (three databases) and AddRedis, the rest plain containers: integrations' cost.</summary>
    [Benchmark(Description = "Aspire: AddPostgres+AddRedis+plain")]
    public async Task AspireIntegrations()
    {
        var builder = CreateBareBuilder();
        AddParameters(builder, _parameters - 1); // AddPostgres adds its password parameter itself
        var postgres = builder.AddPostgres("postgres").WithDataVolume();
        postgres.AddDatabase("appdb");
        postgres.AddDatabase("temporal-db", "temporal");
        postgres.AddDatabase("temporal-visibility-db", "temporal_visibility");
        builder.AddRedis("redis").WithDataVolume();
        AddPlainContainers(builder, _containers - 2);
        await using var app = builder.Build();
    }

    /// <summary>The real AppHost's full model (CreateAsync runs Program.cs up to Build; BuildAsync builds it).</summary>
    [Benchmark(Description = "FleetInfra AppHost: full model")]
    public async Task FleetInfraAppHost()
    {
        using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FleetInfra_AppHost>(s_appHostArgs);
        await using var app = await builder.BuildAsync();
    }

    // A plain Aspire builder (the testing builder insists on an AppHost assembly up the stack, which this
    // executable is not); no dashboard, as under the testing builder. Same run-mode arguments as the real model.
    private static IDistributedApplicationBuilder CreateBareBuilder() =>
        DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = s_appHostArgs, DisableDashboard = true });

    private static void AddParameters(IDistributedApplicationBuilder builder, int count)
    {
        for (var i = 0; i < count; i++)
        {
            builder.AddParameter($"parameter-{i}", $"value-{i}", secret: true);
        }
    }

    private static void AddPlainContainers(IDistributedApplicationBuilder builder, int count)
    {
        for (var i = 0; i < count; i++)
        {
            builder.AddContainer($"container-{i}", "library/busybox", "1.36").WithHttpEndpoint(targetPort: 8080);
        }
    }
}
