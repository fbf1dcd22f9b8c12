using FleetInfra.Hosting;
using FleetInfra.Hosting.Documentation;
using FleetInfra.Hosting.Waves;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Documentation;

/// <summary>The documents follow the model: change it in memory and they change with it.</summary>
public class ModelChangeTests
{
    [Fact]
    public async Task A_component_added_to_a_wave_shows_up_in_chart_table_ports_and_health_checks()
    {
        await using var builder = await FleetModel.CreateAsync();
        var before = FleetDocumentation.Dependencies(builder.Resources);
        var monitoring = builder.CreateResourceBuilder(builder.Wave("infrastructure-monitoring"));

        builder.AddContainer("jaeger", "jaegertracing/all-in-one", "1.74.0")
            .WithHttpEndpoint(port: 16686, targetPort: 16686)
            .WithHttpHealthCheck("/status")
            .InWave(monitoring);
        var after = FleetDocumentation.Dependencies(builder.Resources);

        Assert.DoesNotContain("jaeger", before);
        Assert.Contains("""
              subgraph wave_infrastructure_monitoring["infrastructure-monitoring · 10m"]
                prometheus["prometheus"]
                grafana["grafana"]
                alertmanager["alertmanager"]
                node_exporter["node-exporter"]
                kube_state_metrics["kube-state-metrics"]
                weave_gitops["weave-gitops"]
                jaeger["jaeger"]
              end
            """, after);
        Assert.Contains("| `infrastructure-monitoring` | prometheus, grafana, *alertmanager*, *node-exporter*, *kube-state-metrics*, *weave-gitops*, jaeger | `infrastructure-core`, `infrastructure-config` (added) | 10m | 30m | 3 local, 4 cluster only |", after);
        Assert.Contains("| `jaeger` | `http` | http://localhost:16686 | — |", after);
        Assert.Contains("| `jaeger` | `jaeger_http_/status_200_check` | HTTP GET `/status` on endpoint `http` answers 200 |", after);
        Assert.Contains(builder.Resources.OfType<WaveResource>().Single(w => w.Name == "infrastructure-monitoring").Members, m => m.Name == "jaeger");
        Assert.Contains("**Longest path (model): 45m**", after); // a member does not change the wave's timeout
    }

    [Fact]
    public async Task A_new_wave_with_a_longer_timeout_becomes_the_critical_path()
    {
        await using var builder = await FleetModel.CreateAsync();
        var services = builder.CreateResourceBuilder(builder.Wave("services"));

        var observability = builder.AddWave("observability", TimeSpan.FromMinutes(30)).DependsOn(services);
        builder.AddContainer("otel-collector", "otel/opentelemetry-collector", "0.139.0").InWave(observability);
        var document = FleetDocumentation.Dependencies(builder.Resources);
        var analysis = CriticalPathAnalysis.Analyze(builder.Resources.OfType<WaveResource>());

        Assert.Equal(TimeSpan.FromMinutes(75), analysis.Longest);
        Assert.Equal("observability", Assert.Single(analysis.Critical).End.Name);
        Assert.Contains("**Longest path (model): 1h15m** — `infrastructure-core → infrastructure-operators → infrastructure-config → database-workloads → services → observability`.", document);
        Assert.Contains("On the seed's edges (the model's minus the deviations) the longest path is **1h10m**", document);
        Assert.Contains("| `observability` | otel-collector | `services` | 30m | 1h15m | runs locally |", document);
        Assert.Contains("  wave_services ==> wave_observability\n", document);
        // services is no longer an end wave; database-ui still is.
        Assert.DoesNotContain("| `services` | infrastructure-core (5m)", document);
        Assert.Contains("| `database-ui` | infrastructure-core (5m)", document);
    }

    [Fact]
    public async Task Two_builds_of_the_model_give_the_same_documents()
    {
        await using var first = await FleetModel.CreatePublishAsync();
        await using var second = await FleetModel.CreatePublishAsync();

        Assert.Equal(FleetDocumentation.Dependencies(first.Resources), FleetDocumentation.Dependencies(second.Resources));
        Assert.Equal(FleetDocumentation.ArchitectureDocument(first.Resources), FleetDocumentation.ArchitectureDocument(second.Resources));
    }
}
