using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace FleetInfra.Benchmarks;

/// <summary>
/// <c>model [BenchmarkDotNet options]</c>: the in-process model-build benchmarks.
/// <c>start [options]</c>: data-layer start through the AppHost against plain <c>docker run</c>, and warm against
/// cold restarts with the persistent lifetime (see <see cref="DataLayerStart.StartBenchmark"/>).
/// <c>publish-scale [options]</c>: publishing the model grown by N components (see <see cref="PublishScale.PublishScaleBenchmark"/>).
/// </summary>
public static class Program
{
    /// <summary>Dispatches to the benchmark named by the first argument.</summary>
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "model":
                var summaries = BenchmarkSwitcher.FromTypes([typeof(ModelBuildBenchmarks)]).Run(args[1..], DefaultConfig.Instance);
                return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
            case "start":
                return await DataLayerStart.StartBenchmark.RunAsync(args[1..]);
            case "publish-scale":
                return await PublishScale.PublishScaleBenchmark.RunAsync(args[1..]);
            default:
                Console.Error.WriteLine("usage: FleetInfra.Benchmarks model [--artifacts DIR] [BenchmarkDotNet options]");
                Console.Error.WriteLine("       FleetInfra.Benchmarks start [--runs N] [--output FILE] [--only apphost|docker|lifetime]");
                Console.Error.WriteLine("       FleetInfra.Benchmarks publish-scale [--counts 0,200,500,1000] [--runs N] [--output DIR]");
                return 2;
        }
    }
}
