using FleetInfra.Hosting.Waves;
namespace FleetInfra.Tests.Integration;

/// <summary>
/// A machine whose container runtime does not answer: the AppHost says so, marks the containers failed and
/// the waves fail in order, instead of leaving everything "Starting" with nothing in the log.
/// </summary>
[Collection(ContainersCollection.Name)]
public sealed class NoRuntimeTests
{
    [Fact]
    public async Task Without_a_runtime_containers_are_reported_failed_with_the_reason_and_the_waves_fail_in_order()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        // A Docker CLI whose daemon socket does not exist: the real "engine not running" case on any machine.
        // Safe beside the other tests: the containers tests run in one collection with this one.
        var previous = Environment.GetEnvironmentVariable("DOCKER_HOST");
        Environment.SetEnvironmentVariable("DOCKER_HOST", "unix:///nonexistent/fleetinfra-no-engine.sock");
        try
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FleetInfra_AppHost>(["ASPIRE_CONTAINER_RUNTIME=docker"], timeout.Token);
            await using var app = await builder.BuildAsync(timeout.Token);

            await app.StartAsync(timeout.Token); // returns: nothing waits forever

            foreach (var name in new[] { "postgres", "appdb", "redis", "traefik", "n8n" })
            {
                var failed = await app.ResourceNotifications.WaitForResourceAsync(name, e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart, timeout.Token);
                Assert.Contains("no container runtime: ", (string)failed.Snapshot.Properties.Single(p => p.Name == FleetInfra.Hosting.Runtime.ContainerRuntimeCheck.FailureProperty).Value!);
            }

            foreach (var wave in new[] { "infrastructure-core", "infrastructure-monitoring", "database-workloads", "services", "database-ui" })
            {
                await app.ResourceNotifications.WaitForResourceAsync(wave, KnownResourceStates.FailedToStart, timeout.Token);
            }

            // Cluster-only waves have nothing of their own to run, but they follow the failed core wave (Flux dependsOn).
            await app.ResourceNotifications.WaitForResourceAsync("infrastructure-operators", KnownResourceStates.FailedToStart, timeout.Token);
            Assert.True(app.ResourceNotifications.TryGetCurrentState("infrastructure-operators", out var state));
            Assert.Contains("upstream wave failed", (string)state!.Snapshot.Properties.Single(p => p.Name == WaveResource.FailureProperty).Value!);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", previous);
        }
    }
}
