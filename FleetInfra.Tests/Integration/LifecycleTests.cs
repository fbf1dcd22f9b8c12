using FleetInfra.Hosting.Waves;
using Npgsql;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace FleetInfra.Tests.Integration;

/// <summary>Data survives a new app instance and a killed container; a late wave fails instead of hanging.</summary>
[Collection(ContainersCollection.Name)]
[Trait("Category", "Integration")]
public sealed class LifecycleTests(ITestOutputHelper output)
{
    // Prometheus is not needed here; leaving it out keeps these tests short.
    private static readonly string[] s_dataOnly = [.. DataLayerApp.NotInDataLayer, "prometheus"];

    [ContainerFact]
    public async Task A_row_and_a_key_written_by_one_app_instance_are_read_back_by_the_next()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var marker = Guid.NewGuid().ToString("N");

        await using (var first = await DataLayerApp.StartAsync(output, ["appdb", "redis"], s_dataOnly, cancellationToken: timeout.Token))
        {
            await ExecuteAsync(first, "create table if not exists persistence_probe (marker text primary key)", timeout.Token);
            await ExecuteAsync(first, $"insert into persistence_probe values ('{marker}')", timeout.Token);
            await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisOptions.Parse(await first.ConnectionStringAsync("redis", timeout.Token)));
            await redis.GetDatabase().StringSetAsync("persistence-probe", marker);
            // No explicit SAVE: Redis must write its dataset to the volume when the app stops it.
        }

        await using var second = await DataLayerApp.StartAsync(output, ["appdb", "redis"], s_dataOnly, cancellationToken: timeout.Token);
        Assert.Equal(1L, await ScalarAsync(second, $"select count(*) from persistence_probe where marker = '{marker}'", timeout.Token));
        await using var reopened = await ConnectionMultiplexer.ConnectAsync(RedisOptions.Parse(await second.ConnectionStringAsync("redis", timeout.Token)));
        Assert.Equal(marker, (string?)await reopened.GetDatabase().StringGetAsync("persistence-probe"));
    }

    [ContainerFact]
    public async Task A_killed_postgres_container_is_reported_within_seconds_and_keeps_its_data_after_a_restart()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var stack = await DataLayerApp.StartAsync(output, ["appdb"], [.. s_dataOnly, "redis"], cancellationToken: timeout.Token);
        var marker = Guid.NewGuid().ToString("N");
        await ExecuteAsync(stack, "create table if not exists fault_probe (marker text primary key)", timeout.Token);
        await ExecuteAsync(stack, $"insert into fault_probe values ('{marker}')", timeout.Token);

        Assert.True(stack.Notifications.TryGetCurrentState("postgres", out var running));
        var containerId = (string)running!.Snapshot.Properties.Single(p => p.Name == "container.id").Value!;
        var killed = DateTime.UtcNow;
        await DataLayerApp.DockerAsync("kill", containerId);

        var down = await stack.Notifications.WaitForResourceAsync("postgres",
            e => e.Snapshot.State?.Text is "Exited" or "Finished" || e.Snapshot.HealthStatus is not Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
            timeout.Token);
        var noticed = DateTime.UtcNow - killed;
        output.WriteLine($"[fault] postgres reported '{down.Snapshot.State?.Text}' / {down.Snapshot.HealthStatus} {noticed.TotalSeconds:0.0}s after docker kill");
        Assert.True(noticed < TimeSpan.FromSeconds(30), $"the kill was noticed only after {noticed}");

        await stack.App.ResourceCommands.ExecuteCommandAsync("postgres", KnownResourceCommands.StartCommand, timeout.Token);
        await stack.Notifications.WaitForResourceHealthyAsync("appdb", timeout.Token);
        Assert.Equal(1L, await ScalarAsync(stack, $"select count(*) from fault_probe where marker = '{marker}'", timeout.Token));
    }

    [ContainerFact]
    public async Task A_member_that_never_turns_healthy_fails_its_wave_by_name_and_every_dependent_stops_waiting()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        const string Late = "never-ready";
        const string Dependent = "dependent";

        // A real container whose health endpoint is never served: Redis's image with an HTTP check on its RESP port.
        var stackTask = DataLayerApp.StartAsync(output, [], s_dataOnly, ["FleetInfra:Waves:database-workloads:Timeout=20s"], builder =>
        {
            var redisImage = builder.Resources.OfType<RedisResource>().Single().Annotations.OfType<ContainerImageAnnotation>().Last();
            var databases = builder.CreateResourceBuilder(builder.Resources.OfType<WaveResource>().Single(w => w.Name == "database-workloads"));
            var services = builder.CreateResourceBuilder(builder.Resources.OfType<WaveResource>().Single(w => w.Name == "services"));
            builder.AddContainer(Late, redisImage.Image, redisImage.Tag!).WithImageRegistry(redisImage.Registry!)
                .WithHttpEndpoint(targetPort: 6379, name: "http").WithHttpHealthCheck("/healthz", endpointName: "http")
                .InWave(databases);
            builder.AddContainer(Dependent, redisImage.Image, redisImage.Tag!).WithImageRegistry(redisImage.Registry!)
                .WaitFor(databases).InWave(services);
        }, timeout.Token);

        // StartAsync itself returns: nothing is left waiting forever.
        await using var stack = await stackTask;
        var wave = await stack.Notifications.WaitForResourceAsync("database-workloads", e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart, timeout.Token);
        Assert.Equal(Late, wave.Snapshot.Properties.Single(p => p.Name == WaveResource.NotReadyProperty).Value);
        await stack.Notifications.WaitForResourceAsync(Dependent, KnownResourceStates.FailedToStart, timeout.Token);
        await stack.Notifications.WaitForResourceAsync("services", KnownResourceStates.FailedToStart, timeout.Token);
        await stack.Notifications.WaitForResourceAsync("database-ui", KnownResourceStates.FailedToStart, timeout.Token);

        // The healthy members of the failed wave are still fine: only the late one is named.
        await stack.Notifications.WaitForResourceHealthyAsync("postgres", timeout.Token);
        await stack.Notifications.WaitForResourceHealthyAsync("redis", timeout.Token);
    }

    // No pooling: these tests kill and restart the server, and a pooled connection would outlive it.
    internal static async Task<NpgsqlConnection> OpenAsync(DataLayerApp stack, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(await stack.ConnectionStringAsync("appdb", cancellationToken)) { Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    internal static async Task ExecuteAsync(DataLayerApp stack, string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(stack, cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<object?> ScalarAsync(DataLayerApp stack, string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(stack, cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
