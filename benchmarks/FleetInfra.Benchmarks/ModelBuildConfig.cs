using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace FleetInfra.Benchmarks;

/// <summary>
/// One operation takes tens to hundreds of milliseconds, so a fixed, short schedule is enough for stable
/// medians and keeps the run to about a minute on two cores.
/// </summary>
/// <remarks>
/// In-process toolchain: the testing builder loads the AppHost next to the running assembly (its deps file
/// must sit beside it), which BenchmarkDotNet's generated child project would not carry over; in-process also
/// saves a second build of the whole graph.
/// </remarks>
public sealed class ModelBuildConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public ModelBuildConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(20)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("model"));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
    }
}
