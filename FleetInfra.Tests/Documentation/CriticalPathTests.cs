using FleetInfra.Hosting.Documentation;
using FleetInfra.Hosting.Waves;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Documentation;

/// <summary>The critical-path figures come out of the wave graph and the timeouts, for the seed's edges and the model's.</summary>
public class CriticalPathTests
{
    private static string[] Names(WavePath path) => [.. path.Waves.Select(w => w.Name)];

    private static async Task<CriticalPathAnalysis> AnalyzeAsync(bool seedEdgesOnly)
    {
        await using var builder = await FleetModel.CreateAsync();
        return CriticalPathAnalysis.Analyze(builder.Resources.OfType<WaveResource>(), seedEdgesOnly);
    }

    [Fact]
    public async Task On_the_seeds_edges_the_longest_path_is_40_minutes_through_services_and_through_database_ui()
    {
        var seed = await AnalyzeAsync(seedEdgesOnly: true);

        Assert.Equal(TimeSpan.FromMinutes(40), seed.Longest);
        Assert.Equal(
            [
                ["infrastructure-core", "infrastructure-operators", "database-workloads", "services"],
                ["infrastructure-core", "infrastructure-operators", "database-workloads", "database-ui"],
            ],
            seed.Critical.Select(Names));
        var monitoring = Assert.Single(seed.Paths, p => p.End.Name == "infrastructure-monitoring");
        Assert.Equal(["infrastructure-core", "infrastructure-monitoring"], Names(monitoring));
        Assert.Equal(TimeSpan.FromMinutes(15), monitoring.Total);
    }

    [Fact]
    public async Task On_the_models_edges_the_deviation_through_infrastructure_config_makes_it_45_minutes()
    {
        var model = await AnalyzeAsync(seedEdgesOnly: false);

        Assert.Equal(TimeSpan.FromMinutes(45), model.Longest);
        Assert.Equal(
            [
                ["infrastructure-core", "infrastructure-operators", "infrastructure-config", "database-workloads", "services"],
                ["infrastructure-core", "infrastructure-operators", "infrastructure-config", "database-workloads", "database-ui"],
            ],
            model.Critical.Select(Names));
        // Monitoring waits for infrastructure-config too (Grafana's ExternalSecret): 5 + 10 + 5 + 10.
        var monitoring = Assert.Single(model.Paths, p => p.End.Name == "infrastructure-monitoring");
        Assert.Equal(["infrastructure-core", "infrastructure-operators", "infrastructure-config", "infrastructure-monitoring"], Names(monitoring));
        Assert.Equal(TimeSpan.FromMinutes(30), monitoring.Total);
        // infrastructure-config is no longer an end wave: database-workloads now depends on it.
        Assert.Equal(["services", "database-ui", "infrastructure-monitoring"], model.Paths.Select(p => p.End.Name));
    }

    [Fact]
    public void A_wave_starts_after_its_slowest_upstream_wave_and_ties_keep_model_order()
    {
        var a = new WaveResource("a", TimeSpan.FromMinutes(5));
        var slow = new WaveResource("slow", TimeSpan.FromMinutes(20));
        var fast = new WaveResource("fast", TimeSpan.FromMinutes(1));
        var join = new WaveResource("join", TimeSpan.FromMinutes(3));
        var other = new WaveResource("other", TimeSpan.FromMinutes(25));
        slow.AddDependency(new(a));
        fast.AddDependency(new(a));
        join.AddDependency(new(fast));
        join.AddDependency(new(slow, Deviation: "test"));

        var model = CriticalPathAnalysis.Analyze([a, slow, fast, join, other]);
        var seed = CriticalPathAnalysis.Analyze([a, slow, fast, join, other], seedEdgesOnly: true);

        Assert.Equal(["a", "slow", "join"], Names(model.Paths[0]));
        Assert.Equal(TimeSpan.FromMinutes(28), model.Longest);
        Assert.Equal(TimeSpan.FromMinutes(28), model.LatestReady.Single(r => r.Wave == join).LatestReady);
        Assert.Equal(["join", "other"], model.Paths.Select(p => p.End.Name)); // 28m, then 25m
        // Without the deviation slow is an end wave of its own; other (25m) ties with it and was declared later.
        Assert.Equal([("slow", 25), ("other", 25), ("join", 9)], seed.Paths.Select(p => (p.End.Name, (int)p.Total.TotalMinutes)));
    }
}
