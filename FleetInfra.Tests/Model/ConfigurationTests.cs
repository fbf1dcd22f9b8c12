using FleetInfra.Hosting;
using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Graph;
using FleetInfra.Hosting.Waves;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Model;

/// <summary>FleetInfra:* settings: overrides, exclusion, lifetime - and every bad value failing before anything starts.</summary>
public class ConfigurationTests
{
    [Fact]
    public async Task An_image_override_replaces_one_image_reference()
    {
        await using var builder = await FleetModel.CreateAsync("FleetInfra:Images:postgres=localhost/fleetinfra/postgres:15");

        var postgres = builder.Image("postgres");
        Assert.Equal(("localhost", "fleetinfra/postgres", "15"), (postgres.Registry, postgres.Image, postgres.Tag));
        Assert.Equal("docker.io", builder.Image("redis").Registry);
    }

    [Fact]
    public async Task An_image_override_can_pin_a_digest()
    {
        var digest = new string('a', 64);
        await using var builder = await FleetModel.CreateAsync($"FleetInfra:Images:redis=mirror.example.com:5000/cache/redis@sha256:{digest}");

        var redis = builder.Image("redis");
        Assert.Equal(("mirror.example.com:5000", "cache/redis", null, digest), (redis.Registry, redis.Image, redis.Tag, redis.SHA256));
    }

    [Fact]
    public async Task The_registry_setting_rewrites_every_image_but_explicit_overrides_keep_theirs()
    {
        await using var builder = await FleetModel.CreateAsync("FleetInfra:Registry=mirror.example.com:5000/dockerhub", "FleetInfra:Images:postgres=localhost/fleetinfra/postgres:15");

        foreach (var container in builder.Resources.OfType<ContainerResource>().Where(c => c.Name != "postgres"))
        {
            Assert.Equal("mirror.example.com:5000/dockerhub", builder.Image(container.Name).Registry);
        }

        Assert.Equal("localhost", builder.Image("postgres").Registry);
        Assert.Equal("grafana/grafana", builder.Image("grafana").Image);
    }

    [Fact]
    public async Task Excluding_localstack_drops_its_edges_and_postgres_runs_without_backups()
    {
        await using var builder = await FleetModel.CreateAsync("FleetInfra:Exclude=localstack");
        var fleet = GetFleet(builder);

        Assert.DoesNotContain(builder.Resources, r => r.Name == "localstack");
        Assert.Equal(["traefik"], builder.Wave("infrastructure-core").Members.Select(m => m.Name));
        var edges = FleetGraph.Edges(builder.Resources);
        Assert.DoesNotContain(edges, e => e.To == "localstack");
        Assert.Contains(edges, e => e is { From: "postgres", To: "cnpg-operator" });
        Assert.Contains(fleet.ExclusionLog, l => l.Contains("'postgres' no longer waits for 'localstack'") && l.Contains("S3 backups"));
        Assert.Contains(fleet.ExclusionLog, l => l.Contains("'localstack' left out") && l.Contains("FleetInfra:Exclude"));
    }

    [Fact]
    public async Task Excluding_postgres_takes_out_what_cannot_run_without_it_and_keeps_the_rest()
    {
        await using var builder = await FleetModel.CreateAsync("FleetInfra:Exclude:0=postgres", "FleetInfra:Exclude:1=grafana");
        var fleet = GetFleet(builder);

        // What cannot run without postgres, from the full model by the documented rule: a child of what goes, or what
        // uses it (a reference) or needs it to complete; a plain WaitFor (postgres -> localstack) is only dropped.
        await using var full = await FleetModel.CreateAsync();
        var hard = FleetGraph.Edges(full.Resources).Where(e => e.Kind is EdgeKind.Reference or EdgeKind.WaitForCompletion).ToList();
        var gone = new HashSet<string> { "postgres", "grafana" };
        bool grew;
        do
        {
            var next = full.Resources.Where(r => !gone.Contains(r.Name)
                && ((r as IResourceWithParent)?.Parent.Name is { } parent && gone.Contains(parent) || hard.Any(e => e.From == r.Name && gone.Contains(e.To))))
                .Select(r => r.Name).ToList();
            gone.UnionWith(next);
            grew = next.Count > 0;
        }
        while (grew);

        var members = FleetComponents.Of(full.Resources).Select(r => r.Name).ToList();
        Assert.Contains("n8n", gone); // the derivation reaches the services that use a database
        Assert.All(gone, name => Assert.DoesNotContain(builder.Resources, r => r.Name == name));
        Assert.All(members.Except(gone), name => Assert.Contains(builder.Resources, r => r.Name == name));
        var services = full.Wave("services").Members.Select(m => m.Name).Except(gone).ToList();
        Assert.Equal(services, builder.Wave("services").Members.Select(m => m.Name));
        Assert.Equal(services.Count == 0, fleet.ExclusionLog.Any(l => l.Contains("wave 'services' has no member left")));
        Assert.Contains(fleet.ExclusionLog, l => l.StartsWith("'temporal' left out of the local run: it ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Exclusion_does_not_apply_to_publishing()
    {
        await using var builder = await FleetModel.CreatePublishAsync("FleetInfra:Exclude=localstack");

        Assert.Contains(builder.Resources, r => r.Name == "localstack");
    }

    [Fact]
    public async Task A_wave_timeout_override_replaces_the_declared_timeout()
    {
        await using var builder = await FleetModel.CreateAsync("FleetInfra:Waves:database-workloads:Timeout=90s", "FleetInfra:Waves:services:Timeout=00:02:30");

        Assert.Equal(TimeSpan.FromSeconds(90), builder.Wave("database-workloads").Timeout);
        Assert.Equal(TimeSpan.FromMinutes(15), builder.Wave("database-workloads").DeclaredTimeout);
        Assert.Equal(TimeSpan.FromSeconds(150), builder.Wave("services").Timeout);
    }

    [Fact]
    public async Task A_wave_timeout_override_is_local_only_and_never_reaches_publishing()
    {
        await using var builder = await FleetModel.CreatePublishAsync("FleetInfra:Waves:database-workloads:Timeout=90s");

        Assert.Equal(TimeSpan.FromMinutes(15), builder.Wave("database-workloads").Timeout);
    }

    [Fact]
    public async Task Persistent_lifetime_keeps_the_data_layer_between_runs()
    {
        await using var builder = await FleetModel.CreateAsync("FleetInfra:Lifetime=Persistent");

        foreach (var name in new[] { "postgres", "redis", "prometheus" })
        {
            Assert.Equal(ContainerLifetime.Persistent, builder.Get(name).Annotations.OfType<ContainerLifetimeAnnotation>().Last().Lifetime);
        }

        foreach (var name in new[] { "n8n", "grafana" })
        {
            Assert.DoesNotContain(builder.Get(name).Annotations.OfType<ContainerLifetimeAnnotation>(), a => a.Lifetime == ContainerLifetime.Persistent);
        }
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "FleetInfra:Exclude=postgres,nope", "FleetInfra:Exclude", "'nope'" },
        { "FleetInfra:Images:postgres=Not A/Reference::", "FleetInfra:Images:postgres", "[registry[:port]/]repository" },
        { "FleetInfra:Images:postgres=localhost/UPPER/case:1", "FleetInfra:Images:postgres", "lowercase" },
        { "FleetInfra:Images:nope=localhost/x:1", "FleetInfra:Images", "'nope'" },
        { "FleetInfra:Registry=https://mirror", "FleetInfra:Registry", "host name" },
        { "FleetInfra:Waves:services:Timeout=soon", "FleetInfra:Waves:services:Timeout", "'5m'" },
        { "FleetInfra:Waves:services:Timeout=-5m", "FleetInfra:Waves:services:Timeout", "positive duration" },
        { "FleetInfra:Waves:services:Timeout=0s", "FleetInfra:Waves:services:Timeout", "positive duration" },
        { "FleetInfra:Waves:services:Timeout=00:00:00.5", "FleetInfra:Waves:services:Timeout", "whole seconds" },
        { "FleetInfra:Waves:services:Timeout=99999999999h", "FleetInfra:Waves:services:Timeout", "up to 24h" },
        { "FleetInfra:Waves:services:Retries=3", "FleetInfra:Waves:services:Retries", "Allowed: Timeout" },
        { "FleetInfra:Waves:wave-9:Timeout=5m", "FleetInfra:Waves", "infrastructure-core" },
        { "FleetInfra:Lifetime=Forever", "FleetInfra:Lifetime", "Session, Persistent" },
        { "FleetInfra:Exlude=postgres", "FleetInfra:Exlude", "Allowed keys" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Bad_configuration_fails_before_anything_starts_naming_the_key_and_what_is_allowed(string setting, string key, string allowedHint)
    {
        var error = await Assert.ThrowsAsync<FleetInfraConfigurationException>(() => FleetModel.CreateAsync(setting));

        Assert.Equal(key, error.Key);
        Assert.Contains($"'{key}'", error.Message);
        Assert.Contains(allowedHint, error.Message);
    }

    [Fact]
    public void A_dependency_cycle_is_rejected_with_the_cycle_named()
    {
        var builder = DistributedApplication.CreateBuilder();
        var fleet = builder.AddFleetInfra();
        var first = fleet.AddWave("first", TimeSpan.FromMinutes(1));
        var second = fleet.AddWave("second", TimeSpan.FromMinutes(1)).DependsOn(first);
        var late = builder.AddContainer("late", "busybox").InWave(second);
        builder.AddContainer("early", "busybox").WaitFor(late).InWave(first);

        var error = Assert.Throws<FleetInfraConfigurationException>(() => fleet.Build());

        Assert.Equal("model", error.Key);
        Assert.Contains("dependency cycle", error.Message);
        Assert.Contains("early -> late -> first -> early", error.Message);
    }

    [Theory]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("90s", 90)]
    [InlineData("00:02:00", 120)]
    public void Durations_parse_the_way_Flux_writes_them(string text, int seconds)
    {
        Assert.True(FleetInfraSettings.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
        Assert.True(FleetInfraSettings.TryParseDuration(FleetInfraSettings.FormatDuration(duration), out var roundTrip));
        Assert.Equal(duration, roundTrip);
    }

    private static FleetInfraBuilder GetFleet(IDistributedApplicationTestingBuilder builder) =>
        (FleetInfraBuilder)builder.Services.Single(d => d.ServiceType == typeof(FleetInfraBuilder)).ImplementationInstance!;
}
