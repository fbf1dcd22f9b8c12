using FleetInfra.Hosting.Lifecycle;
using FleetInfra.Hosting.Waves;
using Xunit.Abstractions;

namespace FleetInfra.Tests.Integration;

/// <summary>A first run whose first wave fails: every member downstream ends in a state that says why.</summary>
[Collection(ContainersCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FirstFailureTests(ITestOutputHelper output)
{
    // n8n stays in: a member of a blocked wave that waits for a database of a server that never starts.
    private static readonly string[] s_exclude = [.. DataLayerApp.NotInDataLayer.Where(n => n != "n8n")];

    [ContainerFact]
    public async Task When_the_first_wave_fails_databases_and_waiting_members_end_FailedToStart_with_the_cause_and_Start_names_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));

        await using var stack = await DataLayerApp.StartAsync(output, [], s_exclude, configure: ChildResourceTests.FirstWaveFails, cancellationToken: timeout.Token);

        // The wave's reason is in the details panel: a highlighted property with a display name.
        var core = await stack.Notifications.WaitForResourceAsync("infrastructure-core", e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart, timeout.Token);
        var failure = core.Snapshot.Properties.Single(p => p.Name == WaveResource.FailureProperty);
        Assert.Contains("'broken-ingress'", (string)failure.Value!);
        Assert.True(failure.IsHighlighted);
        Assert.Equal("Failure", failure.DisplayName);

        // The databases follow postgres, which never starts: without that, n8n would wait for appdb forever.
        await ChildResourceTests.AssertDatabasesFollowAsync(stack, timeout.Token);

        // n8n never starts and says why: its wave is blocked by the failed upstream wave.
        var n8n = await stack.Notifications.WaitForResourceAsync("n8n",
            e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart && e.Snapshot.Properties.Any(p => p.Name == MemberFailure.Property), timeout.Token);
        var why = (string)n8n.Snapshot.Properties.Single(p => p.Name == MemberFailure.Property).Value!;
        output.WriteLine($"n8n: {why}");
        Assert.StartsWith("not started: wave 'services' is blocked, upstream wave failed", why, StringComparison.Ordinal);

        // Start on postgres answers with the failed dependency, no exception.
        var result = await stack.App.ResourceCommands.ExecuteCommandAsync("postgres", KnownResourceCommands.StartCommand, timeout.Token);
        output.WriteLine($"Start postgres: {result.Message}");
        Assert.False(result.Success);
        Assert.Contains("'postgres' cannot start: it waits for '", result.Message, StringComparison.Ordinal);
        Assert.Contains("Reconcile", result.Message, StringComparison.Ordinal);
    }
}
