using FleetInfra.Hosting.Waves;
using Xunit.Abstractions;

namespace FleetInfra.Tests.Integration;

/// <summary>A ready wave on real containers turns Degraded when a member dies and ready again once Reconcile restarts it.</summary>
[Collection(ContainersCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WaveRecoveryIntegrationTests(ITestOutputHelper output)
{
    [ContainerFact]
    public async Task A_killed_postgres_degrades_database_workloads_by_name_and_Reconcile_makes_it_ready_again_with_the_data_kept()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var stack = await DataLayerApp.StartAsync(output, ["appdb", "database-workloads"], [.. DataLayerApp.NotInDataLayer, "prometheus", "redis"], cancellationToken: timeout.Token);
        var marker = Guid.NewGuid().ToString("N");
        await LifecycleTests.ExecuteAsync(stack, "create table if not exists wave_probe (marker text primary key)", timeout.Token);
        await LifecycleTests.ExecuteAsync(stack, $"insert into wave_probe values ('{marker}')", timeout.Token);

        Assert.True(stack.Notifications.TryGetCurrentState("postgres", out var running));
        var containerId = (string)running!.Snapshot.Properties.Single(p => p.Name == "container.id").Value!;
        var killed = DateTime.UtcNow;
        await DataLayerApp.DockerAsync("kill", containerId);

        var degraded = await stack.Notifications.WaitForResourceAsync("database-workloads", e => e.Snapshot.State?.Text == WaveMonitor.DegradedState, timeout.Token);
        var named = (string)degraded.Snapshot.Properties.Single(p => p.Name == WaveResource.DegradedProperty).Value!;
        output.WriteLine($"[degraded] {(DateTime.UtcNow - killed).TotalSeconds:0.0}s after docker kill: {named}");
        Assert.Contains("'postgres'", named, StringComparison.Ordinal);

        var result = await stack.App.ResourceCommands.ExecuteCommandAsync("database-workloads", WaveCommands.Reconcile, timeout.Token);
        Assert.True(result.Success, result.Message);
        await stack.Notifications.WaitForResourceAsync("database-workloads", e => e.Snapshot.State?.Text == WaveMonitor.ReconcilingState, timeout.Token);
        await stack.Notifications.WaitForResourceHealthyAsync("database-workloads", WaitBehavior.WaitOnResourceUnavailable, timeout.Token);
        output.WriteLine($"[ready again] {(DateTime.UtcNow - killed).TotalSeconds:0.0}s after docker kill");

        Assert.True(stack.Notifications.TryGetCurrentState("postgres", out var restarted));
        Assert.NotEqual(containerId, restarted!.Snapshot.Properties.Single(p => p.Name == "container.id").Value);
        Assert.Equal(1L, await LifecycleTests.ScalarAsync(stack, $"select count(*) from wave_probe where marker = '{marker}'", timeout.Token));
    }
}
