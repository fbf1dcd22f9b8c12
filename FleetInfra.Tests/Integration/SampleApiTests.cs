using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FleetInfra.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace FleetInfra.Tests.Integration;

/// <summary>
/// The sample service on real containers, started with only what it needs (<see cref="ServiceTesting"/>): PostgreSQL
/// and Redis (LocalStack and Traefik left out, as CI must), its round trip through both, its /health per dependency.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SampleApiTests(ITestOutputHelper output)
{
    private const string Service = "sample-api";

    // What CI cannot run (no image without a registry); everything else the sample does not need goes by itself.
    private static readonly string[] s_cannotRun = ["FleetInfra:Exclude=traefik,localstack"];

    private static async Task<IDistributedApplicationTestingBuilder> CreateAsync(CancellationToken cancellationToken, params string[] args)
    {
        await DataLayerApp.PrepareAsync();
        var builder = await ServiceTesting.CreateForServiceAsync<Projects.FleetInfra_AppHost>(Service, [.. DataLayerApp.TestArguments(), .. s_cannotRun, .. args], cancellationToken);
        DataLayerApp.UseTestVolumesAndPorts(builder);
        return builder;
    }

    [Fact]
    public async Task The_sample_round_trips_through_PostgreSQL_17_and_Redis_and_reports_each_dependency_healthy()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var builder = await CreateAsync(timeout.Token);
        var started = builder.Resources.Where(r => r is ContainerResource or ProjectResource).Select(r => r.Name).Order().ToList();
        output.WriteLine($"[resources] {string.Join(", ", started)}");
        Assert.Equal(["postgres", "redis", Service], started); // only what the sample needs

        await using var service = await builder.StartServiceAsync(Service, timeout.Token);

        var response = await service.Client.PostAsync("/roundtrip", null, timeout.Token);
        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        output.WriteLine($"[roundtrip] {(int)response.StatusCode} {body}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var roundTrip = JsonNode.Parse(body)!;
        Assert.True(roundTrip["succeeded"]!.GetValue<bool>());
        Assert.Equal(roundTrip["written"]!.GetValue<string>(), roundTrip["fromDatabase"]!.GetValue<string>());
        Assert.Equal(roundTrip["written"]!.GetValue<string>(), roundTrip["fromCache"]!.GetValue<string>());

        var health = await service.Client.GetFromJsonAsync<JsonObject>("/health", timeout.Token);
        output.WriteLine($"[health] {health}");
        Assert.Equal("Healthy", health!["status"]!.GetValue<string>());
        var checks = health["checks"]!.AsObject();
        Assert.Equal("Healthy", Check(checks, "redis"));
        Assert.Equal("Healthy", Check(checks, "postgre"));

        // The row is really in appdb, on PostgreSQL 17.
        await using var connection = new NpgsqlConnection(await service.App.GetConnectionStringAsync("appdb", timeout.Token));
        await connection.OpenAsync(timeout.Token);
        Assert.StartsWith("17.", connection.PostgreSqlVersion.ToString(), StringComparison.Ordinal);
        await using var select = new NpgsqlCommand("SELECT value FROM sample_roundtrip WHERE id = $1", connection) { Parameters = { new() { Value = roundTrip["id"]!.GetValue<Guid>() } } };
        Assert.Equal(roundTrip["written"]!.GetValue<string>(), (string?)await select.ExecuteScalarAsync(timeout.Token));
    }

    [Fact]
    public async Task With_a_wrong_Redis_password_Redis_is_unhealthy_and_the_wave_fails_naming_the_sample()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var builder = await CreateAsync(timeout.Token, "FleetInfra:Waves:services:Timeout=40s");
        var redis = builder.Resources.OfType<RedisResource>().Single();
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(p => p.Name == Service))
            .WithEnvironment(context => context.EnvironmentVariables["ConnectionStrings__redis"] =
                ReferenceExpression.Create($"{redis.PrimaryEndpoint.Property(EndpointProperty.HostAndPort)},password=not-the-password,ssl=true"));

        var failure = await Assert.ThrowsAsync<ServiceNotReadyException>(() => builder.StartServiceAsync(Service, timeout.Token));

        output.WriteLine(failure.Message);
        Assert.Contains("wave 'services' failed", failure.Message);
        Assert.Contains($"not ready: {Service}", failure.Message);
        var health = JsonNode.Parse(failure.Health)!;
        Assert.Equal("Unhealthy", health["status"]!.GetValue<string>());
        Assert.Equal("Unhealthy", Check(health["checks"]!.AsObject(), "redis"));
        Assert.Equal("Healthy", Check(health["checks"]!.AsObject(), "postgre"));
    }

    private static string Check(JsonObject checks, string dependency) =>
        Assert.Single(checks, c => c.Key.Contains(dependency, StringComparison.OrdinalIgnoreCase)).Value!.GetValue<string>();
}
