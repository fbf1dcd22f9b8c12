using FleetInfra.Hosting.Lifecycle;
using FleetInfra.Hosting.Waves;
using Xunit.Abstractions;

namespace FleetInfra.Tests.Integration;

/// <summary>A server's databases follow it when it fails to start, instead of showing "Starting" forever.</summary>
[Collection(ContainersCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ChildResourceTests(ITestOutputHelper output)
{
    private static readonly string[] s_postgresOnly = [.. DataLayerApp.NotInDataLayer, "redis", "prometheus"];

    [ContainerFact]
    public async Task Databases_fail_to_start_naming_their_server_when_its_image_cannot_be_pulled()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        // An image no registry has: postgres fails to start (a pull failure, as on a machine without the image).
        await using var stack = await DataLayerApp.StartAsync(output, [], s_postgresOnly,
            ["FleetInfra:Images:postgres=localhost/fleetinfra/does-not-exist:1"], cancellationToken: timeout.Token);
        await AssertDatabasesFollowAsync(stack, timeout.Token);
    }

    [ContainerFact]
    public async Task Databases_fail_to_start_naming_their_server_when_an_upstream_wave_fails()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        // infrastructure-core fails (a member whose image cannot be pulled): postgres gives up waiting and never starts.
        await using var stack = await DataLayerApp.StartAsync(output, [], s_postgresOnly, configure: FirstWaveFails, cancellationToken: timeout.Token);
        await AssertDatabasesFollowAsync(stack, timeout.Token);
    }

    /// <summary>Adds a member whose image cannot be pulled to infrastructure-core, the first wave.</summary>
    internal static void FirstWaveFails(IDistributedApplicationTestingBuilder builder)
    {
        var core = builder.CreateResourceBuilder(builder.Resources.OfType<WaveResource>().Single(w => w.Name == "infrastructure-core"));
        builder.AddContainer("broken-ingress", "fleetinfra/does-not-exist", "1").WithImageRegistry("localhost").InWave(core);
    }

    /// <summary>postgres and then each of its databases end FailedToStart, the databases naming it (a highlighted property).</summary>
    internal static async Task AssertDatabasesFollowAsync(DataLayerApp stack, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        await stack.Notifications.WaitForResourceAsync("postgres", KnownResourceStates.FailedToStart, timeout.Token);
        foreach (var database in new[] { "appdb", "temporal-db", "temporal-visibility-db" })
        {
            var failed = await stack.Notifications.WaitForResourceAsync(database,
                e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart && e.Snapshot.Properties.Any(p => p.Name == ChildResourcesFollowParent.ParentFailureProperty), timeout.Token);
            var reason = failed.Snapshot.Properties.Single(p => p.Name == ChildResourcesFollowParent.ParentFailureProperty);
            Assert.Equal("parent 'postgres' failed to start", reason.Value);
            Assert.True(reason.IsHighlighted);
        }
    }
}
