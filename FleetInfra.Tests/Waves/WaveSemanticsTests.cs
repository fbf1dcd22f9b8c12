using FleetInfra.Hosting;
using FleetInfra.Hosting.Waves;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FleetInfra.Tests.Waves;

/// <summary>
/// <see cref="WaveResource"/> under Aspire's real orchestrator, without containers: members are a resource whose
/// health the test controls and a real process (an executable) that waits for a wave.
/// </summary>
public class WaveSemanticsTests
{
    private sealed class Gate
    {
        public volatile bool Open;
    }

    private sealed class TestMember(string name) : Resource(name);

    private static FleetInfraBuilder CreateBuilder(Gate gate, TimeSpan firstTimeout)
    {
        // A plain builder borrowing the AppHost assembly's orchestrator (DCP) settings: the model is the test's own.
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [],
            AssemblyName = "FleetInfra.AppHost",
            DisableDashboard = true,
        });
        var fleet = builder.AddFleetInfra();
        builder.Services.AddHealthChecks().AddCheck("gate", () => gate.Open ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("gate closed"));

        var first = fleet.AddWave("first", firstTimeout);
        builder.AddResource(new TestMember("member"))
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "Test", State = KnownResourceStates.Running, Properties = [] })
            .WithHealthCheck("gate")
            .InWave(first);

        var second = fleet.AddWave("second", TimeSpan.FromMinutes(1)).DependsOn(first);
        builder.AddExecutable("dependent", "sleep", Path.GetTempPath(), "120").InWave(second);
        return fleet;
    }

    [Fact]
    public async Task A_wave_is_healthy_when_all_members_are_healthy_and_then_releases_its_dependents()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var gate = new Gate();
        var fleet = CreateBuilder(gate, TimeSpan.FromMinutes(1));
        await using var app = fleet.Build();
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();

        var start = app.StartAsync(timeout.Token);

        // While the member is unhealthy the wave reconciles and the next wave's member is held back.
        await notifications.WaitForResourceAsync("first", WaveMonitor.ReconcilingState, timeout.Token);
        await notifications.WaitForResourceAsync("dependent", KnownResourceStates.Waiting, timeout.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);
        Assert.True(notifications.TryGetCurrentState("dependent", out var held));
        Assert.Equal(KnownResourceStates.Waiting, held!.Snapshot.State?.Text);

        gate.Open = true;

        await notifications.WaitForResourceHealthyAsync("first", timeout.Token);
        await notifications.WaitForResourceAsync("dependent", KnownResourceStates.Running, timeout.Token);
        await notifications.WaitForResourceHealthyAsync("second", timeout.Token);
        await start;
    }

    [Fact]
    public async Task A_wave_fails_after_its_timeout_naming_the_late_member_and_its_dependents_stop_waiting()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var fleet = CreateBuilder(new Gate(), TimeSpan.FromSeconds(3));
        await using var app = fleet.Build();
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();

        var start = app.StartAsync(timeout.Token);

        var failed = await notifications.WaitForResourceAsync("first", e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart, timeout.Token);
        Assert.Equal("member", failed.Snapshot.Properties.Single(p => p.Name == WaveResource.NotReadyProperty).Value);
        Assert.Contains("timed out", (string)failed.Snapshot.Properties.Single(p => p.Name == WaveResource.FailureProperty).Value!);

        // Flux semantics: what depends on a failed wave fails too instead of hanging.
        await notifications.WaitForResourceAsync("dependent", KnownResourceStates.FailedToStart, timeout.Token);
        await notifications.WaitForResourceAsync("second", KnownResourceStates.FailedToStart, timeout.Token);
        await start; // returns: nothing is left waiting
    }
}
