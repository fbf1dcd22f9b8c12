using System.Diagnostics;
using FleetInfra.Hosting.Images;
using FleetInfra.Hosting.Lifecycle;
using FleetInfra.Hosting.Waves;
using Xunit.Abstractions;

namespace FleetInfra.Tests.Integration;

/// <summary>An image that cannot be pulled is found up front, named with its fix, and fixed from the dashboard.</summary>
[Collection(ContainersCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FixInPlaceTests(ITestOutputHelper output)
{
    private const string Broken = "broken-ui";
    private const string Missing = "localhost/fleetinfra/does-not-exist:fix-in-place";

    [ContainerFact]
    public async Task A_missing_image_in_the_last_wave_is_named_before_the_data_layer_is_ready_and_Set_image_plus_Reconcile_brings_the_wave_up()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await using var stack = await DataLayerApp.StartAsync(output, [], configure: builder =>
            {
                var ui = builder.CreateResourceBuilder(builder.Resources.OfType<WaveResource>().Single(w => w.Name == "database-ui"));
                builder.AddContainer(Broken, "fleetinfra/does-not-exist", "fix-in-place").WithImageRegistry("localhost").InWave(ui);
            }, cancellationToken: timeout.Token);

            // Found up front: the reason names the image, the runtime's reason and both keys, while database-workloads
            // (the wave before database-ui) is not ready yet.
            var failed = await stack.Notifications.WaitForResourceAsync(Broken,
                e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart && MemberFailure.Of(e.Snapshot) is not null, timeout.Token);
            // The order comes from the recorded transitions (StartAsync may return after the data layer is up).
            var why = MemberFailure.Of(failed.Snapshot)!;
            var failedAt = stack.Recorder.Changes.First(c => c.Resource == Broken && c.State == KnownResourceStates.FailedToStart).At;
            var dataLayerReadyAt = stack.Recorder.FirstRunning("database-workloads");
            output.WriteLine($"{Broken}: {why} (failed {(failedAt - stack.Recorder.Started).TotalSeconds:0.0} s in, database-workloads ready {(dataLayerReadyAt - stack.Recorder.Started)?.TotalSeconds:0.0} s in)");
            Assert.True(dataLayerReadyAt is null || failedAt < dataLayerReadyAt, $"'{Broken}' failed at {failedAt:O}, after database-workloads was ready at {dataLayerReadyAt:O}");
            Assert.Contains($"image '{Missing}' cannot be pulled: ", why, StringComparison.Ordinal);
            Assert.Contains($"FleetInfra:Images:{Broken}", why, StringComparison.Ordinal);
            Assert.Contains($"FleetInfra:Exclude={Broken}", why, StringComparison.Ordinal);
            Assert.True(failed.Snapshot.Properties.Single(p => p.Name == MemberFailure.Property).IsHighlighted);

            await stack.Notifications.WaitForResourceAsync("database-ui", e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart, timeout.Token);

            // Fixed in place: another image (one the runtime has), then Reconcile; the AppHost keeps running.
            var image = new InteractionInput { Name = ImageCommands.ImageArgument, Label = "Image", InputType = InputType.Text, Value = "localhost/fleetinfra/redis:7" };
            var set = await stack.App.ResourceCommands.ExecuteCommandAsync(Broken, ImageCommands.SetImage, new InteractionInputCollection([image]), timeout.Token);
            output.WriteLine($"Set image: {set.Message}");
            Assert.True(set.Success, set.Message);

            var reconcile = await stack.App.ResourceCommands.ExecuteCommandAsync("database-ui", WaveCommands.Reconcile, timeout.Token);
            Assert.True(reconcile.Success, reconcile.Message);
            await stack.Notifications.WaitForResourceAsync("database-ui", e => e.Snapshot.State?.Text == KnownResourceStates.Running, timeout.Token);
            await stack.Notifications.WaitForResourceAsync(Broken, e => e.Snapshot.State?.Text == KnownResourceStates.Running, timeout.Token);
        }
        finally
        {
            // The tag made for the fix must not make the next run find the "missing" image.
            using var rmi = Process.Start("docker", ["rmi", Missing]);
            await rmi!.WaitForExitAsync(CancellationToken.None);
        }
    }
}
