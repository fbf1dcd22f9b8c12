using FleetInfra.Hosting.Components.ClusterOnly;
using FleetInfra.Hosting.Graph;
using FleetInfra.Hosting.Waves;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Model;

/// <summary>The app model against DESIGN.md's wave table and the seed's service-level dependencies.</summary>
public class AppModelTests
{
    // DESIGN.md "The waves": wave, dependsOn (seed), timeout.
    public static TheoryData<string, string[], int> DesignWaves => new()
    {
        { "infrastructure-core", [], 5 },
        { "infrastructure-operators", ["infrastructure-core"], 10 },
        { "infrastructure-config", ["infrastructure-operators"], 5 },
        { "infrastructure-monitoring", ["infrastructure-core"], 10 },
        { "database-workloads", ["infrastructure-operators"], 15 },
        { "services", ["database-workloads"], 10 },
        { "database-ui", ["database-workloads"], 10 },
    };

    public static TheoryData<string, string> Members => new()
    {
        { "traefik", "infrastructure-core" },
        { "localstack", "infrastructure-core" },
        { "cnpg-operator", "infrastructure-operators" },
        { "external-secrets", "infrastructure-operators" },
        { "cluster-config", "infrastructure-config" },
        { "prometheus", "infrastructure-monitoring" },
        { "grafana", "infrastructure-monitoring" },
        { "alertmanager", "infrastructure-monitoring" },
        { "node-exporter", "infrastructure-monitoring" },
        { "kube-state-metrics", "infrastructure-monitoring" },
        { "weave-gitops", "infrastructure-monitoring" },
        { "postgres", "database-workloads" },
        { "appdb", "database-workloads" },
        { "temporal-db", "database-workloads" },
        { "temporal-visibility-db", "database-workloads" },
        { "redis", "database-workloads" },
        { "n8n", "services" },
        { "temporal-schema", "services" },
        { "temporal", "services" },
        { "temporal-ui", "services" },
        { "pgadmin", "database-ui" },
        { "redisinsight", "database-ui" },
    };

    [Theory]
    [MemberData(nameof(Members))]
    public async Task Every_component_exists_in_its_wave(string component, string wave)
    {
        await using var builder = await FleetModel.CreateAsync();

        Assert.Equal(wave, builder.Get(component).GetWave()?.Name);
    }

    [Fact]
    public async Task Databases_have_the_seed_names()
    {
        await using var builder = await FleetModel.CreateAsync();

        Assert.Equal("appdb", builder.Get<PostgresDatabaseResource>("appdb").DatabaseName);
        Assert.Equal("temporal", builder.Get<PostgresDatabaseResource>("temporal-db").DatabaseName);
        Assert.Equal("temporal_visibility", builder.Get<PostgresDatabaseResource>("temporal-visibility-db").DatabaseName);
    }

    [Theory]
    [MemberData(nameof(DesignWaves))]
    public async Task Waves_match_the_design_table(string name, string[] seedDependsOn, int timeoutMinutes)
    {
        await using var builder = await FleetModel.CreateAsync();
        var wave = builder.Wave(name);

        Assert.Equal(TimeSpan.FromMinutes(timeoutMinutes), wave.Timeout);
        // Seed edges exactly; any extra edge must say why it deviates from the seed.
        Assert.Equal(seedDependsOn.Order(), wave.DependsOn.Where(d => d.Deviation is null).Select(d => d.Wave.Name).Order());
        Assert.All(wave.DependsOn.Where(d => d.Deviation is not null), d => Assert.False(string.IsNullOrWhiteSpace(d.Deviation)));
    }

    [Fact]
    public async Task There_are_exactly_seven_waves_and_only_documented_deviations()
    {
        await using var builder = await FleetModel.CreateAsync();

        var waves = builder.Resources.OfType<WaveResource>().ToList();
        Assert.Equal(7, waves.Count);
        var deviations = waves.SelectMany(w => w.DependsOn.Where(d => d.Deviation is not null).Select(d => (w.Name, d.Wave.Name))).Order().ToList();
        // Both come from the publish lint: their waves use the secret store (and namespaces) that infrastructure-config creates.
        Assert.Equal([("database-workloads", "infrastructure-config"), ("infrastructure-monitoring", "infrastructure-config")], deviations);
    }

    public static TheoryData<string, string, EdgeKind> ServiceEdges => new()
    {
        { "postgres", "cnpg-operator", EdgeKind.WaitFor },
        { "postgres", "localstack", EdgeKind.WaitFor },
        { "redis", "external-secrets", EdgeKind.WaitFor },
        { "external-secrets", "localstack", EdgeKind.WaitFor },
        { "n8n", "appdb", EdgeKind.WaitFor },
        { "n8n", "appdb", EdgeKind.Reference },
        { "temporal-schema", "temporal-db", EdgeKind.WaitFor },
        { "temporal-schema", "temporal-visibility-db", EdgeKind.WaitFor },
        { "temporal", "temporal-schema", EdgeKind.WaitForCompletion },
        { "temporal-ui", "temporal", EdgeKind.WaitFor },
        { "pgadmin", "postgres", EdgeKind.WaitFor },
        { "pgadmin", "external-secrets", EdgeKind.WaitFor },
        { "redisinsight", "redis", EdgeKind.WaitFor },
        { "grafana", "prometheus", EdgeKind.WaitFor },
        { "grafana", "traefik", EdgeKind.Route },
        { "n8n", "traefik", EdgeKind.Route },
        { "pgadmin", "traefik", EdgeKind.Route },
        { "redisinsight", "traefik", EdgeKind.Route },
        { "temporal-ui", "traefik", EdgeKind.Route },
        // Derived from the waves: members wait for their wave's upstream waves.
        { "postgres", "infrastructure-operators", EdgeKind.WaitFor },
        { "postgres", "infrastructure-config", EdgeKind.WaitFor },
        { "n8n", "database-workloads", EdgeKind.WaitFor },
        { "pgadmin", "database-workloads", EdgeKind.WaitFor },
        { "grafana", "infrastructure-core", EdgeKind.WaitFor },
        { "database-ui", "redisinsight", EdgeKind.Member },
    };

    [Theory]
    [MemberData(nameof(ServiceEdges))]
    public async Task Service_level_edges_exist(string from, string to, EdgeKind kind)
    {
        await using var builder = await FleetModel.CreateAsync();

        Assert.Contains(new FleetEdge(from, to, kind), FleetGraph.Edges(builder.Resources));
    }

    [Fact]
    public async Task Members_of_the_first_wave_wait_for_nothing_and_no_member_waits_for_its_own_wave()
    {
        await using var builder = await FleetModel.CreateAsync();
        var edges = FleetGraph.Edges(builder.Resources);

        Assert.DoesNotContain(edges, e => e.From is "traefik" or "localstack" && e.Kind == EdgeKind.WaitFor);
        foreach (var member in builder.Resources.Where(r => r.GetWave() is not null && r is not WaveResource))
        {
            Assert.DoesNotContain(edges, e => e.From == member.Name && e.To == member.GetWave()!.Name);
        }
    }

    [Fact]
    public async Task The_graph_has_no_cycle()
    {
        await using var builder = await FleetModel.CreateAsync();

        Assert.Null(FleetGraph.FindCycle(FleetGraph.Edges(builder.Resources)));
    }

    [Fact]
    public async Task Every_WaitFor_target_that_runs_locally_has_a_health_check()
    {
        await using var builder = await FleetModel.CreateAsync();

        var targets = builder.Resources
            .SelectMany(r => r.Annotations.OfType<WaitAnnotation>())
            .Where(w => w.WaitType == WaitType.WaitUntilHealthy)
            .Select(w => w.Resource)
            .Where(t => t is not WaveResource and not ClusterOnlyResource) // waves are driven by their members; cluster-only is inert
            .Distinct()
            .ToList();

        Assert.NotEmpty(targets);
        Assert.All(targets, t => Assert.True(t.HasAnnotationOfType<HealthCheckAnnotation>(), $"'{t.Name}' is waited for but has no health check"));
    }

    [Theory]
    [InlineData("traefik")]
    [InlineData("localstack")]
    [InlineData("prometheus")]
    [InlineData("grafana")]
    [InlineData("postgres")]
    [InlineData("redis")]
    [InlineData("n8n")]
    [InlineData("temporal")]
    [InlineData("temporal-ui")]
    [InlineData("pgadmin")]
    [InlineData("redisinsight")]
    public async Task Every_locally_run_service_has_a_health_check(string name)
    {
        await using var builder = await FleetModel.CreateAsync();

        Assert.IsType<ContainerResource>(builder.Get(name), exactMatch: false);
        Assert.True(builder.Get(name).HasAnnotationOfType<HealthCheckAnnotation>());
    }

    [Fact]
    public async Task Cluster_only_components_are_not_containers()
    {
        await using var builder = await FleetModel.CreateAsync();

        var clusterOnly = builder.Resources.OfType<ClusterOnlyResource>().Select(r => r.Name).Order();
        Assert.Equal(["alertmanager", "cluster-config", "cnpg-operator", "external-secrets", "kube-state-metrics", "node-exporter", "weave-gitops"], clusterOnly);
    }

    [Fact]
    public async Task Temporal_schema_runs_to_completion()
    {
        await using var builder = await FleetModel.CreateAsync();

        Assert.True(builder.Get("temporal-schema").HasAnnotationOfType<RunsToCompletionAnnotation>());
    }

    public static TheoryData<string, string, int> HostPorts => new()
    {
        { "traefik", "dashboard", 8080 },
        { "localstack", "http", 4566 },
        { "postgres", "tcp", 5432 },
        { "redis", "tcp", 6379 },
        { "n8n", "http", 5678 },
        { "temporal-ui", "http", 8090 },
        { "grafana", "http", 3030 },
        { "redisinsight", "http", 8001 },
        { "pgadmin", "http", 5050 }, // the seed says 8080, which Traefik's dashboard already has
    };

    [Theory]
    [MemberData(nameof(HostPorts))]
    public async Task Host_ports_follow_the_seed(string name, string endpoint, int port)
    {
        await using var builder = await FleetModel.CreateAsync();

        Assert.Equal(port, builder.Get(name).Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == endpoint).Port);
    }

    [Fact]
    public async Task No_two_resources_share_a_host_port()
    {
        await using var builder = await FleetModel.CreateAsync();

        var ports = builder.Resources.SelectMany(r => r.Annotations.OfType<EndpointAnnotation>()).Where(e => e.Port is not null).Select(e => e.Port).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
    }
}
