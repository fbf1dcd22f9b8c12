using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace FleetInfra.Benchmarks.PublishScale;

/// <summary>
/// How publishing (and the <c>diff</c> step) grows with the model: the real AppHost plus N RedisInsight-like components
/// (<see cref="ScaleModel"/>) for each N of <c>--counts</c> (default 0, 200, 500, 1000), <c>--runs</c> times each
/// (default 3), interleaved, each sample a fresh process (<see cref="ScaleRun"/>). Per N: the objects published, process
/// wall and CPU time, the step's wall and CPU time, and the cost per extra object against the smallest N (linear: the
/// same at every N).
/// </summary>
/// <remarks>
/// <c>--diff</c> also runs the <c>diff</c> step in the same rounds, against the tree the publish of that round wrote (the
/// same model: every object compared, no difference), so the two steps are timed on the same model under the same load.
/// <c>--baseline DLL</c> runs every sample a second time with another build of this benchmark (e.g. of an older
/// commit), interleaved, so a before/after ratio comes from one run.
/// </remarks>
public static class PublishScaleBenchmark
{
    /// <summary>Runs the benchmark, or with <c>run …</c> one sample (<see cref="ScaleRun"/>).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.FirstOrDefault() == "run")
        {
            return await ScaleRun.RunAsync(args[1..]);
        }

        var counts = (Option(args, "--counts") ?? "0,200,500,1000").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToList();
        var runs = int.Parse(Option(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var output = Path.GetFullPath(Option(args, "--output") ?? Path.Combine("artifacts", "benchmarks"));
        var variants = new List<(string Name, string Dll)> { ("current", typeof(PublishScaleBenchmark).Assembly.Location) };
        if (Option(args, "--baseline") is { } baseline)
        {
            variants.Add(("baseline", Path.GetFullPath(baseline)));
        }

        var steps = args.Contains("--diff") ? new[] { "publish", "diff" } : ["publish"];
        Directory.CreateDirectory(output);
        var work = Directory.CreateTempSubdirectory("fleetinfra-scale-").FullName;
        var samples = new Dictionary<(string Variant, string Step, int Count), List<ScaleSample>>();
        try
        {
            foreach (var (_, dll) in variants)
            {
                await SampleAsync(dll, counts[0], "publish", Path.Combine(work, "warm-up"), null); // warms the file cache; not counted
                Directory.Delete(Path.Combine(work, "warm-up"), recursive: true);
            }

            for (var round = 1; round <= runs; round++)
            {
                foreach (var count in counts)
                {
                    foreach (var (variant, dll) in variants)
                    {
                        var tree = Path.Combine(work, $"{variant}-n{count}");
                        foreach (var step in steps)
                        {
                            var sample = step == "publish"
                                ? await SampleAsync(dll, count, step, tree, null)
                                : await SampleAsync(dll, count, step, Path.Combine(work, "diff"), tree);
                            var key = (variant, step, count);
                            (samples.TryGetValue(key, out var list) ? list : samples[key] = []).Add(sample);
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"[scale] round {round}/{runs} {variant,-8} {step,-7} N={count,5}: {sample.Objects,6} objects, wall {sample.Wall / 1000,6:0.00} s, CPU {sample.Cpu / 1000,6:0.00} s (step {sample.Step / 1000:0.00} s, step CPU {sample.StepCpu / 1000:0.00} s)"));
                        }

                        Directory.Delete(tree, recursive: true);
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        var report = Report(samples, variants.Select(v => v.Name).ToList(), steps, counts, runs);
        Console.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(output, "publish-scale.md"), report);
        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Report(Dictionary<(string Variant, string Step, int Count), List<ScaleSample>> samples, List<string> variants,
        IReadOnlyList<string> steps, List<int> counts, int runs)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(inv, $"The real model plus N extra components, {runs} interleaved runs each, a fresh process per run (medians; wall min-max):");
        text.AppendLine();
        text.AppendLine("| build | step | N | objects | process wall | process CPU | step wall | step CPU | per extra object (step CPU) |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var variant in variants)
        {
            foreach (var step in steps)
            {
                var first = samples[(variant, step, counts[0])];
                var (stepCpu0, objects0) = (Median(first.Select(s => s.StepCpu)), first[0].Objects);
                foreach (var count in counts)
                {
                    var list = samples[(variant, step, count)];
                    var extra = list[0].Objects - objects0;
                    var stepCpu = Median(list.Select(s => s.StepCpu));
                    text.AppendLine(inv,
                        $"| {variant} | {step} | {count} | {list[0].Objects} | {Median(list.Select(s => s.Wall)) / 1000:0.00} s ({list.Min(s => s.Wall) / 1000:0.00}-{list.Max(s => s.Wall) / 1000:0.00}) | {Median(list.Select(s => s.Cpu)) / 1000:0.00} s | {Median(list.Select(s => s.Step)) / 1000:0.00} s | {stepCpu / 1000:0.00} s | {(extra > 0 ? $"{(stepCpu - stepCpu0) / extra:0.000} ms" : "-")} |");
                }
            }
        }

        if (steps.Contains("diff"))
        {
            text.AppendLine();
            text.AppendLine("`diff` against `publish`, same model, same rounds (ratio of medians):");
            text.AppendLine();
            text.AppendLine("| build | N | process wall | process CPU | step CPU |");
            text.AppendLine("|---|---:|---:|---:|---:|");
            foreach (var variant in variants)
            {
                foreach (var count in counts)
                {
                    var (p, d) = (samples[(variant, "publish", count)], samples[(variant, "diff", count)]);
                    double Ratio(Func<ScaleSample, double> metric) => Median(d.Select(metric)) / Median(p.Select(metric));
                    text.AppendLine(inv, $"| {variant} | {count} | {Ratio(s => s.Wall):0.00}x | {Ratio(s => s.Cpu):0.00}x | {Ratio(s => s.StepCpu):0.00}x |");
                }
            }
        }

        if (variants.Count > 1)
        {
            text.AppendLine();
            text.AppendLine("current against baseline, same rounds (ratio of medians):");
            text.AppendLine();
            text.AppendLine("| step | N | process wall | process CPU | step CPU |");
            text.AppendLine("|---|---:|---:|---:|---:|");
            foreach (var step in steps)
            {
                foreach (var count in counts)
                {
                    var (c, b) = (samples[("current", step, count)], samples[("baseline", step, count)]);
                    double Ratio(Func<ScaleSample, double> metric) => Median(c.Select(metric)) / Median(b.Select(metric));
                    text.AppendLine(inv, $"| {step} | {count} | {Ratio(s => s.Wall):0.00}x | {Ratio(s => s.Cpu):0.00}x | {Ratio(s => s.StepCpu):0.00}x |");
                }
            }
        }

        return text.ToString();
    }

    private static async Task<ScaleSample> SampleAsync(string dll, int count, string step, string output, string? baseTree)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, "publish-scale", "run", count.ToString(CultureInfo.InvariantCulture), step, output })
        {
            start.ArgumentList.Add(arg);
        }

        if (baseTree is not null)
        {
            start.ArgumentList.Add($"FleetInfra:Diff:Base={baseTree}");
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var wall = clock.Elapsed.TotalMilliseconds;
        var result = (await stdout).Split('\n').LastOrDefault(l => l.StartsWith(ScaleRun.ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || result is null)
        {
            throw new InvalidOperationException($"N={count} {step} ({dll}): the run failed (exit {process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        var parts = result[ScaleRun.ResultPrefix.Length..].Trim().Split(' ').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var objects = TreeCount.Objects(baseTree ?? output);
        if (baseTree is not null && Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        return new ScaleSample(wall, parts[0], parts[1], parts[2], parts[3], objects);
    }

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
