using System.Globalization;
using System.Text;
using FleetInfra.Hosting.Components.ClusterOnly;
using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Documentation;

namespace FleetInfra.Hosting.Waves;

/// <summary>
/// The local <c>verify-startup</c>: per wave its members, when it was ready, its timeout, and the critical path
/// observed in this run against the model's (<see cref="CriticalPathAnalysis"/>, the one the dependency document shows).
/// </summary>
internal static class WaveStartupReport
{
    /// <summary>Heading of the report; tests and scripts look for it.</summary>
    public const string Title = "FleetInfra startup report";

    public static string Render(WaveCoordinator coordinator, DateTime now)
    {
        var waves = coordinator.Waves;
        var controllers = waves.ToDictionary(w => w, coordinator.Get);
        var ready = waves.Count(w => controllers[w]?.Phase is WavePhase.Ready);
        var text = new StringBuilder();
        text.AppendLine(Invariant($"# {Title}"));
        text.AppendLine();
        // The time is when the report was taken, not how long the start took (that is each wave's "ready at").
        text.AppendLine(Invariant($"{ready} of {waves.Count} waves ready at {now:HH:mm:ss} UTC, when this report was taken ({Seconds(now - coordinator.Started)} after the waves were initialised at {coordinator.Started:HH:mm:ss} UTC; the start itself is the last \"ready at\" below)."));
        text.AppendLine();
        text.AppendLine("| wave | state | members | ready after | ready at | timeout | retry |");
        text.AppendLine("|---|---|---|---:|---:|---|---|");
        foreach (var wave in waves)
        {
            var c = controllers[wave];
            var members = wave.Members.Count == 0 ? "(none locally)" : string.Join(", ", wave.Members.Select(m => m is ClusterOnlyResource ? $"{m.Name} (cluster only)" : m.Name));
            var state = c?.Phase switch
            {
                null => "not initialised",
                WavePhase.Failed => $"failed: {c.Failure}{(c.NotReady.Count > 0 ? $"; not ready: {string.Join(", ", c.NotReady)}" : "")}",
                WavePhase.Degraded => $"degraded: not ready: {string.Join(", ", c.NotReady)}",
                var phase => phase.Value.ToString().ToLowerInvariant(),
            };
            if (c is { Reconciles: > 0 })
            {
                state += Invariant($" (reconciled {c.Reconciles}×)");
            }

            var readyAfter = c?.ReadyAfter is { } after ? Seconds(after) : "—";
            var readyAt = c?.ReadyAt is { } at ? "+" + Seconds(at - coordinator.Started) : "—";
            var retry = wave.RetryInterval is { } interval ? FleetInfraSettings.FormatDuration(interval) : "off";
            text.AppendLine(Invariant($"| {wave.Name} | {state} | {members} | {readyAfter} | {readyAt} | {FleetInfraSettings.FormatDuration(wave.Timeout)} | {retry} |"));
        }

        text.AppendLine();
        text.AppendLine("Critical path:");
        text.AppendLine();
        var observed = ObservedCriticalPath(waves, controllers);
        var model = CriticalPathAnalysis.Analyze(waves).Critical.FirstOrDefault();
        text.AppendLine(observed.Count == 0
            ? "- observed: no wave was ready"
            : Invariant($"- observed: {string.Join(" → ", observed.Select(w => $"{w.Name} (+{Seconds(controllers[w]!.ReadyAt!.Value - coordinator.Started)})"))}: ready {Seconds(controllers[observed[^1]]!.ReadyAt!.Value - coordinator.Started)} after start"));
        if (model is not null)
        {
            var local = model.Waves.Aggregate(TimeSpan.Zero, (sum, w) => sum + w.Timeout);
            text.AppendLine(Invariant($"- model: {model} (worst case {FleetInfraSettings.FormatDuration(model.Total)} with the declared timeouts{(local != model.Total ? $", {FleetInfraSettings.FormatDuration(local)} with this run's" : "")})"));
            text.AppendLine(observed.Select(w => w.Name).SequenceEqual(model.Waves.Select(w => w.Name))
                ? "- the observed path is the model's"
                : "- the observed path differs from the model's: locally the waves on the model's path were not the slowest (or not all ready)");
        }

        return text.ToString();
    }

    /// <summary>
    /// The chain that decided when the last wave was ready: from the wave ready last, back through the upstream
    /// wave that was ready last (the one it actually waited for), while those are ready.
    /// </summary>
    internal static IReadOnlyList<WaveResource> ObservedCriticalPath(IReadOnlyList<WaveResource> waves, IReadOnlyDictionary<WaveResource, WaveController?> controllers)
    {
        DateTime? ReadyAt(WaveResource w) => controllers.GetValueOrDefault(w)?.ReadyAt;
        var end = waves.Where(w => ReadyAt(w) is not null).MaxBy(w => ReadyAt(w));
        var path = new List<WaveResource>();
        while (end is not null)
        {
            path.Insert(0, end);
            end = end.DependsOn.Select(d => d.Wave).Where(w => ReadyAt(w) is not null).MaxBy(w => ReadyAt(w));
        }

        return path;
    }

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.0 's'", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
