using System.Diagnostics;
using System.Text.Json;

namespace FleetInfra.Benchmarks.DataLayerStart;

/// <summary>What one AppHost start reported: milliseconds since its process started, and the container ids.</summary>
internal sealed record AppHostReport(
    double BuiltMs,
    double StartAsyncReturnedMs,
    Dictionary<string, double> HealthyMs,
    Dictionary<string, string> ContainerIds,
    List<string> Timeline,
    double CpuMs);

/// <summary>
/// One start of the real AppHost's data layer in a fresh process (a restart is a new process: cold JIT, new DCP),
/// exactly as the integration tests start it - <see cref="DistributedApplicationTestingBuilder"/> over
/// Projects.FleetInfra_AppHost with FleetInfra:Exclude - but with the benchmark's own container and volume names.
/// Prints <c>READY {json}</c> once postgres, redis and prometheus are healthy, stops on a line on standard input
/// (or its end) and prints <c>STOPPED</c>.
/// </summary>
internal static class AppHostChild
{
    public const string ReadyPrefix = "READY ";
    public const string StoppedLine = "STOPPED";

    /// <summary>The "lifetime" argument that starts the plain Aspire peer instead of the FleetInfra AppHost.</summary>
    public const string PlainLifetime = "plain";

    /// <summary>The plain Aspire peer with persistent containers.</summary>
    public const string PlainPersistentLifetime = "plain-persistent";

    public static async Task<int> RunAsync(string lifetime)
    {
        var processStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        double Elapsed() => (DateTime.UtcNow - processStart).TotalMilliseconds;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));

        await using var app = lifetime is PlainLifetime or PlainPersistentLifetime ? await PlainAspireAppHost.BuildAsync(lifetime == PlainPersistentLifetime, timeout.Token) : await BuildFleetInfraAsync(lifetime, timeout.Token);
        var built = Elapsed();

        // Every state and health change with its time: where a start spends its time.
        var timeline = new List<string>();
        using var stopWatching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            var last = new Dictionary<string, string>(StringComparer.Ordinal);
            try
            {
                await foreach (var e in app.ResourceNotifications.WatchAsync(stopWatching.Token))
                {
                    var text = $"{e.Snapshot.State?.Text}/{e.Snapshot.HealthStatus?.ToString() ?? "-"}";
                    if (!last.TryGetValue(e.Resource.Name, out var previous) || previous != text)
                    {
                        last[e.Resource.Name] = text;
                        lock (timeline)
                        {
                            timeline.Add($"{Elapsed(),8:0} ms  {e.Resource.Name,-26} {text}");
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var healthy = BenchNames.DataLayer.ToDictionary(r => r, r => WaitHealthyAsync(app, r, Elapsed, timeout.Token));
        await app.StartAsync(timeout.Token);
        var startReturned = Elapsed();
        await Task.WhenAll(healthy.Values);
        // CPU the AppHost process itself used until everything was healthy (DCP and the engine are other processes):
        // the part of a start that machine load does not stretch.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in BenchNames.DataLayer)
        {
            if (app.ResourceNotifications.TryGetCurrentState(resource, out var state)
                && state.Snapshot.Properties.FirstOrDefault(p => p.Name == "container.id")?.Value is string id)
            {
                ids[resource] = id;
            }
        }

        await stopWatching.CancelAsync();
        await watcher;
        var report = new AppHostReport(built, startReturned, healthy.ToDictionary(h => h.Key, h => h.Value.Result), ids, timeline, cpu);
        Console.WriteLine(ReadyPrefix + JsonSerializer.Serialize(report));
        await Console.In.ReadLineAsync(timeout.Token);
        await app.StopAsync(timeout.Token);
        Console.WriteLine(StoppedLine);
        return 0;
    }

    private static async Task<DistributedApplication> BuildFleetInfraAsync(string lifetime, CancellationToken cancellationToken)
    {
        string[] args =
        [
            $"FleetInfra:Exclude={string.Join(',', BenchNames.Excluded)}",
            $"FleetInfra:Lifetime={lifetime}",
            // Stable for the whole benchmark run (the parent hands them down): a data volume keeps its first password,
            // and a persistent container whose environment changed would be replaced instead of reattached.
            $"Parameters:postgres-password={Required("FLEETINFRA_BENCH_POSTGRES_PASSWORD")}",
            $"Parameters:redis-password={Required("FLEETINFRA_BENCH_REDIS_PASSWORD")}",
            .. BenchNames.Images().Select(i => $"FleetInfra:Images:{i.Key}={i.Value}"),
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FleetInfra_AppHost>(args, cancellationToken);
        UseBenchNames(builder);
        return await builder.BuildAsync(cancellationToken);
    }

    private static async Task<double> WaitHealthyAsync(DistributedApplication app, string resource, Func<double> elapsed, CancellationToken cancellationToken)
    {
        await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, WaitBehavior.StopOnResourceUnavailable, cancellationToken);
        return elapsed();
    }

    // The model's volumes and (generated) container names become the benchmark's own, like the tests' fleetinfra-it-*.
    private static void UseBenchNames(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var container in builder.Resources.OfType<ContainerResource>().Where(c => BenchNames.DataLayer.Contains(c.Name)))
        {
            foreach (var mount in container.Annotations.OfType<ContainerMountAnnotation>().Where(m => m.Type == ContainerMountType.Volume).ToList())
            {
                container.Annotations.Remove(mount);
                container.Annotations.Add(new ContainerMountAnnotation(BenchNames.AppHostVolume(container.Name), mount.Target, ContainerMountType.Volume, mount.IsReadOnly));
            }

            builder.CreateResourceBuilder(container).WithContainerName(BenchNames.AppHostContainer(container.Name));
        }
    }

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{variable} is not set.");
}
