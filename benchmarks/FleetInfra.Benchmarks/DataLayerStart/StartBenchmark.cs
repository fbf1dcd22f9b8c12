using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FleetInfra.Benchmarks.DataLayerStart;

/// <summary>
/// Whole-process timings of the data layer (postgres, redis, prometheus from the CI images): start through the
/// AppHost against plain <c>docker run</c>, and a warm restart with <c>FleetInfra:Lifetime=Persistent</c> against a
/// cold start. Each round runs every scenario once, interleaved, so drift on a shared machine hits all of them alike.
/// </summary>
/// <remarks>
/// Scenarios per round, in order:
/// <list type="number">
/// <item><c>docker-cold</c>: plain docker run on fresh volumes (the baseline).</item>
/// <item><c>plain-cold</c>: a plain Aspire AppHost, same containers, no waves, fresh volumes (<see cref="PlainAspireAppHost"/>).</item>
/// <item><c>plain-persistent-cold</c> / <c>plain-persistent-warm</c>: the plain peer with persistent containers, started
/// on fresh volumes and then again while they run - the floor any Aspire AppHost's warm restart has on this machine.</item>
/// <item><c>apphost-cold</c>: the AppHost, session lifetime (the default), no containers, fresh volumes.</item>
/// <item><c>apphost-restart</c>: the same again with the volumes kept - today's restart.</item>
/// <item><c>persistent-cold</c>: the AppHost with Lifetime=Persistent, no containers, fresh volumes.</item>
/// <item><c>persistent-warm</c>: the same again while the persistent containers still run - the fast inner loop.</item>
/// </list>
/// A start is timed from spawning the AppHost process (or the first docker run) until all three are healthy
/// (ready, for the baseline). The AppHost is stopped between starts; its stop time is recorded too.
/// </remarks>
public static class StartBenchmark
{
    private static readonly string[] s_scenarios = ["docker-cold", "plain-cold", "plain-persistent-cold", "plain-persistent-warm", "apphost-cold", "apphost-restart", "persistent-cold", "persistent-warm"];

    /// <summary>Runs the benchmark (<c>--runs N</c>, <c>--output DIR</c>) or, with <c>child LIFETIME</c>, one AppHost start.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.FirstOrDefault() == "child")
        {
            return await AppHostChild.RunAsync(args[1]);
        }

        var runs = int.Parse(Option(args, "--runs") ?? "5", CultureInfo.InvariantCulture);
        var output = Path.GetFullPath(Option(args, "--output") ?? Path.Combine("artifacts", "benchmarks"));
        Directory.CreateDirectory(output);
        Environment.SetEnvironmentVariable("FLEETINFRA_BENCH_POSTGRES_PASSWORD", RandomPassword());
        Environment.SetEnvironmentVariable("FLEETINFRA_BENCH_REDIS_PASSWORD", RandomPassword());

        await Docker.RunAsync("info", "--format", "{{.ServerVersion}}");
        foreach (var image in BenchNames.Images().Values)
        {
            await Docker.RunAsync("image", "inspect", "--format", "{{.Id}}", image);
        }

        var samples = s_scenarios.ToDictionary(s => s, _ => new List<Sample>());
        var reattached = new List<bool>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10 + 3 * runs));
        var baseline = new DirectBaseline(Required("FLEETINFRA_BENCH_POSTGRES_PASSWORD"), Required("FLEETINFRA_BENCH_REDIS_PASSWORD"), output);
        try
        {
            for (var round = 1; round <= runs; round++)
            {
                Log($"round {round}/{runs}");
                var direct = await baseline.StartAsync(timeout.Token);
                samples["docker-cold"].Add(new Sample(direct.Values.Max(), direct, null, null));
                Log($"  docker-cold      {direct.Values.Max(),8:0} ms");
                await DirectBaseline.RemoveAsync();

                await RemovePlainStateAsync();
                await MeasureAsync("plain-cold", AppHostChild.PlainLifetime);
                await RemovePlainStateAsync();
                var plainCold = await MeasureAsync("plain-persistent-cold", AppHostChild.PlainPersistentLifetime);
                var plainWarm = await MeasureAsync("plain-persistent-warm", AppHostChild.PlainPersistentLifetime);
                reattached.Add(SameContainers(plainCold, plainWarm));
                await RemovePlainStateAsync();

                await RemoveAppHostStateAsync();
                await MeasureAsync("apphost-cold", "Session");
                await MeasureAsync("apphost-restart", "Session");

                await RemoveAppHostStateAsync();
                var cold = await MeasureAsync("persistent-cold", "Persistent");
                var warm = await MeasureAsync("persistent-warm", "Persistent");
                var same = SameContainers(cold, warm);
                reattached.Add(same);
                Log($"  reattached (same container ids for {string.Join(", ", PersistentResources(cold))}): {same}");
            }
        }
        finally
        {
            await DirectBaseline.RemoveAsync();
            await RemoveAppHostStateAsync();
            await RemovePlainStateAsync();
        }

        var report = Report(samples, reattached, runs);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(Path.Combine(output, $"start-{stamp}.json"), JsonSerializer.Serialize(new { samples, reattached }, new JsonSerializerOptions { WriteIndented = true }));
        await File.WriteAllTextAsync(Path.Combine(output, "start.md"), report);
        Console.WriteLine(report);
        return reattached.All(r => r) ? 0 : 1;

        async Task<Sample> MeasureAsync(string scenario, string lifetime)
        {
            var sample = await StartAppHostAsync(lifetime, timeout.Token);
            samples[scenario].Add(sample);
            Log($"  {scenario,-16} {sample.TotalMs,8:0} ms  (stop {sample.StopMs:0} ms; healthy after process start: {string.Join(", ", sample.Resources.Select(r => $"{r.Key} {r.Value:0}"))})");
            return sample;
        }
    }

    private static bool SameContainers(Sample cold, Sample warm) =>
        cold.ContainerIds is not null && warm.ContainerIds is not null && PersistentResources(cold).Any()
        && PersistentResources(cold).All(r => warm.ContainerIds.TryGetValue(r, out var id) && id == cold.ContainerIds[r]);

    /// <summary>The containers that must be the same ones after a warm restart: those the model made persistent.</summary>
    private static IEnumerable<string> PersistentResources(Sample cold) => cold.PersistentResources ?? [];

    private static async Task<Sample> StartAppHostAsync(string lifetime, CancellationToken cancellationToken)
    {
        var self = typeof(StartBenchmark).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [self, "start", "child", lifetime])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The AppHost process did not start.");
        var log = new StringBuilder();
        var stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(cancellationToken) is { } line)
            {
                lock (log)
                {
                    log.AppendLine(line);
                }
            }
        }, cancellationToken);

        AppHostReport? report = null;
        double readyMs = 0;
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            lock (log)
            {
                log.AppendLine(line);
            }

            if (line.StartsWith(AppHostChild.ReadyPrefix, StringComparison.Ordinal))
            {
                readyMs = clock.Elapsed.TotalMilliseconds;
                report = JsonSerializer.Deserialize<AppHostReport>(line[AppHostChild.ReadyPrefix.Length..]);
                break;
            }
        }

        if (report is null)
        {
            await process.WaitForExitAsync(cancellationToken);
            throw new InvalidOperationException($"The AppHost exited ({process.ExitCode}) before its data layer was healthy:\n{log}");
        }

        var persistent = new List<string>();
        foreach (var (resource, id) in report.ContainerIds)
        {
            var labels = await Docker.RunAsync("container", "inspect", "--format", "{{index .Config.Labels \"com.microsoft.developer.usvc-dev.persistent\"}}", id);
            if (labels.Trim() == "true")
            {
                persistent.Add(resource);
            }
        }

        var stopClock = Stopwatch.StartNew();
        await process.StandardInput.WriteLineAsync("stop");
        await process.StandardInput.FlushAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The AppHost failed to stop ({process.ExitCode}):\n{log}");
        }

        return new Sample(readyMs, report.HealthyMs, report, persistent)
        {
            StopMs = stopClock.Elapsed.TotalMilliseconds,
        };
    }

    private static Task RemovePlainStateAsync() =>
        Docker.RemoveAsync(BenchNames.DataLayer.Select(BenchNames.PlainContainer), BenchNames.DataLayer.Select(BenchNames.PlainVolume));

    private static Task RemoveAppHostStateAsync() =>
        Docker.RemoveAsync(BenchNames.DataLayer.Select(BenchNames.AppHostContainer), BenchNames.DataLayer.Select(BenchNames.AppHostVolume));

    private static string Report(Dictionary<string, List<Sample>> samples, List<bool> reattached, int runs)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Data-layer start (postgres, redis, prometheus), {runs} round(s); seconds from start to all healthy/ready.");
        text.AppendLine();
        text.AppendLine("| scenario | median | min | max | ratio | stop (median) |");
        text.AppendLine("|---|---:|---:|---:|---|---:|");
        var medians = samples.ToDictionary(s => s.Key, s => Median(s.Value.Select(v => v.TotalMs)));
        var ratios = new Dictionary<string, string>
        {
            ["docker-cold"] = "baseline",
            ["plain-cold"] = $"{medians["plain-cold"] / medians["docker-cold"]:0.00}× docker-cold",
            ["plain-persistent-cold"] = $"{medians["plain-persistent-cold"] / medians["plain-cold"]:0.00}× plain-cold",
            ["plain-persistent-warm"] = $"{medians["plain-persistent-warm"] / medians["plain-cold"]:0.00}× plain-cold (the plain peer's own warm restart)",
            ["apphost-cold"] = $"{medians["apphost-cold"] / medians["plain-cold"]:0.00}× plain-cold (target ≤ 1.05); {medians["apphost-cold"] / medians["docker-cold"]:0.00}× docker-cold",
            ["apphost-restart"] = $"{medians["apphost-restart"] / medians["apphost-cold"]:0.00}× apphost-cold",
            ["persistent-cold"] = $"{medians["persistent-cold"] / medians["docker-cold"]:0.00}× docker-cold",
            ["persistent-warm"] = $"{medians["persistent-warm"] / medians["persistent-cold"]:0.00}× persistent-cold (target ≤ 0.3); {medians["persistent-warm"] / medians["plain-cold"]:0.00}× plain-cold (target ≤ 0.5); {medians["persistent-warm"] / medians["plain-persistent-warm"]:0.00}× plain-persistent-warm; {medians["persistent-warm"] / medians["apphost-restart"]:0.00}× apphost-restart",
        };
        foreach (var (scenario, values) in samples)
        {
            var totals = values.Select(v => v.TotalMs).ToList();
            var stops = values.Where(v => v.StopMs > 0).Select(v => v.StopMs).ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {scenario} | {Median(totals) / 1000:0.00} s | {totals.Min() / 1000:0.00} s | {totals.Max() / 1000:0.00} s | {ratios[scenario]} | {(stops.Count > 0 ? $"{Median(stops) / 1000:0.00} s" : "-")} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Warm restarts that reattached to the same containers: {reattached.Count(r => r)}/{reattached.Count}.");
        text.AppendLine();
        text.AppendLine("Per resource (median seconds to healthy; AppHost: after its process started):");
        text.AppendLine();
        text.AppendLine("| scenario | " + string.Join(" | ", BenchNames.DataLayer) + " |");
        text.AppendLine("|---|" + string.Concat(BenchNames.DataLayer.Select(_ => "---:|")));
        foreach (var (scenario, values) in samples)
        {
            var cells = BenchNames.DataLayer.Select(r => (Median(values.Select(v => v.Resources[r])) / 1000).ToString("0.00 s", CultureInfo.InvariantCulture));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {scenario} | {string.Join(" | ", cells)} |");
        }

        // Where a start goes, per scenario: the same phases for FleetInfra and the plain peer, from their timelines.
        text.AppendLine();
        text.AppendLine("Phases (median seconds after the process started): model built; resources registered (first state); orchestrator up (first container Starting); all healthy; all healthy minus orchestrator up; CPU time of the AppHost process until all healthy (DCP and the engine excluded).");
        text.AppendLine();
        text.AppendLine("| scenario | model built | registered | orchestrator up | all healthy | containers to healthy | AppHost CPU |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (scenario, values) in samples.Where(s => s.Value.Any(v => v.AppHost is not null)))
        {
            var reports = values.Select(v => v.AppHost).OfType<AppHostReport>().ToList();
            var up = reports.Select(r => FirstMs(r, "Starting/")).ToList();
            var healthy = reports.Select(r => r.HealthyMs.Values.Max()).ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {scenario} | {Seconds(reports.Select(r => r.BuiltMs))} | {Seconds(reports.Select(r => FirstMs(r, "")))} | {Seconds(up)} | {Seconds(healthy)} | {Seconds(healthy.Zip(up, (h, u) => h - u))} | {Seconds(reports.Select(r => r.CpuMs))} |");
        }

        if (samples["persistent-warm"].LastOrDefault()?.AppHost is { } lastWarm && samples["persistent-cold"].LastOrDefault()?.AppHost is { } lastCold)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Last persistent-cold timeline (ms after process start; model built {lastCold.BuiltMs:0}, StartAsync returned {lastCold.StartAsyncReturnedMs:0}):");
            text.AppendLine("```");
            lastCold.Timeline.Where(IsDataLayer).ToList().ForEach(l => text.AppendLine(l));
            text.AppendLine("```");
            text.AppendLine(CultureInfo.InvariantCulture, $"Last persistent-warm timeline (model built {lastWarm.BuiltMs:0}, StartAsync returned {lastWarm.StartAsyncReturnedMs:0}):");
            text.AppendLine("```");
            lastWarm.Timeline.Where(IsDataLayer).ToList().ForEach(l => text.AppendLine(l));
            text.AppendLine("```");
        }

        return text.ToString();

        static bool IsDataLayer(string line) => BenchNames.DataLayer.Any(r => line.Contains($" {r} ", StringComparison.Ordinal)) || line.Contains("database-workloads", StringComparison.Ordinal);
    }

    private static string Seconds(IEnumerable<double> values) => (Median(values) / 1000).ToString("0.00 s", CultureInfo.InvariantCulture);

    // Milliseconds of the first data-layer timeline line containing the text ("   812 ms  postgres   Starting/-").
    private static double FirstMs(AppHostReport report, string text) =>
        report.Timeline.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length >= 3 && BenchNames.DataLayer.Contains(p[2]) && string.Join(' ', p.Skip(3)).Contains(text, StringComparison.Ordinal))
            .Select(p => double.Parse(p[0], CultureInfo.InvariantCulture)).DefaultIfEmpty(double.NaN).First();

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string Required(string variable) => Environment.GetEnvironmentVariable(variable) ?? throw new InvalidOperationException($"{variable} is not set.");

    // Random per benchmark run, so no password is ever written into the code; stable across its starts.
    private static string RandomPassword() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    private static void Log(string line) => Console.Error.WriteLine($"[start {DateTime.Now:HH:mm:ss}] {line}");

    /// <summary>One start: milliseconds to all healthy, per resource, and what the AppHost reported.</summary>
    private sealed record Sample(double TotalMs, Dictionary<string, double> Resources, AppHostReport? AppHost, List<string>? PersistentResources)
    {
        public double StopMs { get; init; }

        public Dictionary<string, string>? ContainerIds => AppHost?.ContainerIds;
    }
}
