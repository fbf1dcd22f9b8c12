using System.Globalization;
using System.Text;
using FleetInfra.Hosting.Components.ClusterOnly;
using FleetInfra.Hosting.Waves;
using Npgsql;
using StackExchange.Redis;
using Xunit.Abstractions;

using FleetInfra.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FleetInfra.Tests.Integration;

/// <summary>Starts the data layer once for the tests of <see cref="DataLayerTests"/>.</summary>
public sealed class DataLayerFixture : IAsyncLifetime
{
    private readonly List<string> _log = [];

    public DataLayerApp? Stack { get; private set; }

    public IReadOnlyList<string> Log => _log;

    public async Task InitializeAsync()
    {
        if (ContainerRuntime.SkipReason is not null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        Stack = await DataLayerApp.StartAsync(new ListOutput(_log), ["postgres", "redis", "prometheus", "database-ui", "services", "infrastructure-monitoring"], cancellationToken: timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }
    }

    private sealed class ListOutput(List<string> lines) : ITestOutputHelper
    {
        public void WriteLine(string message) => lines.Add(message);

        public void WriteLine(string format, params object[] args) => lines.Add(string.Format(CultureInfo.InvariantCulture, format, args));
    }
}

/// <summary>The data layer of the real AppHost in real containers: PostgreSQL, Redis, Prometheus, in wave order.</summary>
[Collection(ContainersCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DataLayerTests(DataLayerFixture fixture, ITestOutputHelper output) : IClassFixture<DataLayerFixture>
{
    private DataLayerApp Stack => fixture.Stack ?? throw new InvalidOperationException("The data layer did not start.");

    private static CancellationToken Timeout => TestContext.Timeout;

    [ContainerFact]
    public async Task Postgres_has_the_three_databases_reachable_over_the_handed_out_connection_strings()
    {
        foreach (var (resource, database) in new[] { ("appdb", "appdb"), ("temporal-db", "temporal"), ("temporal-visibility-db", "temporal_visibility") })
        {
            await using var connection = new NpgsqlConnection(await Stack.ConnectionStringAsync(resource, Timeout));
            await connection.OpenAsync(Timeout);
            await using var command = new NpgsqlCommand("select current_database()", connection);
            Assert.Equal(database, await command.ExecuteScalarAsync(Timeout));
        }
    }

    [ContainerFact]
    public async Task Postgres_rejects_a_wrong_password()
    {
        var builder = new NpgsqlConnectionStringBuilder(await Stack.ConnectionStringAsync("appdb", Timeout)) { Password = "not-the-password" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);

        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync(Timeout));

        Assert.Equal("28P01", error.SqlState); // invalid_password
    }

    [ContainerFact]
    public async Task Redis_refuses_commands_without_auth_and_answers_with_it()
    {
        var options = RedisOptions.Parse(await Stack.ConnectionStringAsync("redis", Timeout));

        // Raw RESP over the same TLS endpoint the app hands out: no client library hides the refusal.
        await using var session = await RespSession.OpenAsync(options, Timeout);
        Assert.StartsWith("-NOAUTH", await session.SendAsync("PING"));
        Assert.Equal("+OK", await session.SendAsync($"AUTH {options.Password}"));
        Assert.Equal("+PONG", await session.SendAsync("PING"));

        await using var client = await ConnectionMultiplexer.ConnectAsync(options);
        Assert.True(await client.GetDatabase().PingAsync() < TimeSpan.FromSeconds(5));
    }

    [ContainerFact]
    public async Task Prometheus_is_ready_and_scrapes_a_target_of_the_stack()
    {
        using var http = new HttpClient { BaseAddress = new Uri(Stack.App.GetEndpoint("prometheus", "http").ToString()) };
        Assert.True((await http.GetAsync("/-/ready", Timeout)).IsSuccessStatusCode);

        // The first scrape happens within one scrape interval (15s) of start.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string targets;
        do
        {
            targets = await http.GetStringAsync("/api/v1/targets?state=active", deadline.Token);
            if (targets.Contains("\"health\":\"up\"", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(2), deadline.Token);
        }
        while (true);

        Assert.Contains("\"app_kubernetes_io_part_of\":\"fleet-infra\"", targets);
    }

    [ContainerFact]
    public void Waves_ran_in_order_and_each_turned_healthy_only_after_all_its_members()
    {
        foreach (var line in fixture.Log)
        {
            output.WriteLine(line);
        }

        var recorder = Stack.Recorder;
        var waves = Stack.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<WaveResource>().ToList();
        var table = TimingsTable(recorder, waves);
        output.WriteLine(table);
        ArtifactFile.Write("integration-timings.md", table);

        foreach (var wave in waves)
        {
            var waveHealthy = recorder.FirstHealthy(wave.Name) ?? throw new Xunit.Sdk.XunitException($"wave '{wave.Name}' never turned healthy");
            foreach (var member in wave.Members.Where(m => m is not ClusterOnlyResource))
            {
                var running = recorder.FirstRunning(member.Name) ?? throw new Xunit.Sdk.XunitException($"'{member.Name}' never ran");
                var healthy = recorder.FirstHealthy(member.Name) ?? throw new Xunit.Sdk.XunitException($"'{member.Name}' never turned healthy");
                foreach (var upstream in wave.DependsOn)
                {
                    var upstreamHealthy = recorder.FirstHealthy(upstream.Wave.Name)!.Value;
                    Assert.True(running >= upstreamHealthy, $"'{member.Name}' ({wave.Name}) ran at {running:O}, before wave '{upstream.Wave.Name}' was healthy at {upstreamHealthy:O}");
                }

                Assert.True(waveHealthy >= healthy, $"wave '{wave.Name}' turned healthy at {waveHealthy:O}, before its member '{member.Name}' at {healthy:O}");
            }
        }
    }

    private static string TimingsTable(StateRecorder recorder, IReadOnlyList<WaveResource> waves)
    {
        string Seconds(DateTime? at) => at is { } t ? (t - recorder.Started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) : "-";
        var table = new StringBuilder("| resource | wave | running (s) | healthy (s) |\n|---|---|---:|---:|\n");
        foreach (var wave in waves)
        {
            table.Append(CultureInfo.InvariantCulture, $"| **{wave.Name}** | | {Seconds(recorder.FirstRunning(wave.Name))} | {Seconds(recorder.FirstHealthy(wave.Name))} |\n");
            foreach (var member in wave.Members.Where(m => m is not ClusterOnlyResource))
            {
                table.Append(CultureInfo.InvariantCulture, $"| {member.Name} | {wave.Name} | {Seconds(recorder.FirstRunning(member.Name))} | {Seconds(recorder.FirstHealthy(member.Name))} |\n");
            }
        }

        return table.ToString();
    }
}
