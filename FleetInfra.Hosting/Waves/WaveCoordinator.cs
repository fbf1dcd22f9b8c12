using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FleetInfra.Hosting.Waves;

/// <summary>One recorded wave transition, for the startup report.</summary>
/// <param name="Wave">The wave.</param>
/// <param name="Phase">The phase it entered.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Detail">Why, when there is more to say (a failure, the degraded members).</param>
public sealed record WaveTransition(string Wave, WavePhase Phase, DateTime At, string? Detail);

/// <summary>
/// The waves of one app run: their controllers, what happens between waves (a wave that turns ready lets the
/// downstream waves that failed because of it reconcile again), the transitions, and the startup report once
/// every wave has settled - logged to the AppHost's own log and written to <see cref="ReportPath"/>.
/// </summary>
internal sealed class WaveCoordinator
{
    private static int s_instances;

    private readonly ConcurrentDictionary<WaveResource, WaveController> _controllers = new();
    private readonly ConcurrentQueue<WaveTransition> _transitions = new();
    private readonly DistributedApplicationModel _model;
    private readonly ResourceNotificationService _notifications;
    private readonly ResourceCommandService _commands;
    private readonly ILogger _host;
    private readonly IInteractionService _interactions;
    private int _reported;

    public WaveCoordinator(DistributedApplicationModel model, ResourceNotificationService notifications, ResourceCommandService commands, ILoggerFactory loggers,
        IInteractionService interactions)
    {
        _model = model;
        _interactions = interactions;
        _notifications = notifications;
        _commands = commands;
        _host = loggers.CreateLogger("FleetInfra.Waves");
        Started = DateTime.UtcNow;
        // One file per app run (several can run at once: tests, a second AppHost); the log names it.
        ReportPath = Path.Combine(Path.GetTempPath(), "fleetinfra",
            $"startup-report-{Started:yyyyMMdd-HHmmss}-{Environment.ProcessId}-{Interlocked.Increment(ref s_instances)}.md");
    }

    /// <summary>When the waves were initialised: the zero of every "ready at" figure.</summary>
    public DateTime Started { get; }

    /// <summary>Where the startup report is written.</summary>
    public string ReportPath { get; }

    /// <summary>The startup report, once every wave has settled.</summary>
    public string? StartupReport { get; private set; }

    /// <summary>Every transition so far, in order.</summary>
    public IReadOnlyList<WaveTransition> Transitions => [.. _transitions];

    /// <summary>The waves of the model, in model order.</summary>
    public IReadOnlyList<WaveResource> Waves => [.. _model.Resources.OfType<WaveResource>()];

    public WaveController Create(WaveResource wave, ILogger resourceLog) =>
        _controllers.GetOrAdd(wave, w => new WaveController(w, this, _notifications, _commands, _host, resourceLog));

    public WaveController? Get(WaveResource wave) => _controllers.GetValueOrDefault(wave);

    /// <summary>The report as it stands now (every wave's latest figures).</summary>
    public string CurrentReport() => WaveStartupReport.Render(this, DateTime.UtcNow);

    public void OnTransition(WaveController controller, WavePhase phase, string? detail)
    {
        _transitions.Enqueue(new WaveTransition(controller.Wave.Name, phase, DateTime.UtcNow, detail));
        var waves = Waves;
        var settled = waves.All(w => Get(w)?.Phase is WavePhase.Ready or WavePhase.Degraded or WavePhase.Failed or WavePhase.Suspended);
        if (settled && Interlocked.Exchange(ref _reported, 1) == 0)
        {
            WriteStartupReport();
        }
    }

    /// <summary>
    /// A wave turned ready: downstream waves that failed because of it reconcile again (each waits for all of its
    /// upstream waves, so the order follows the dependency graph); after a reconcile, resources outside the waves
    /// that gave up waiting for it or its members are started again.
    /// </summary>
    public void OnReady(WaveController ready, bool afterReconcile)
    {
        foreach (var downstream in _controllers.Values.Where(c => c.Wave.DependsOn.Any(d => d.Wave == ready.Wave)))
        {
            if (downstream.Phase == WavePhase.Failed && downstream.FailedUpstream)
            {
                downstream.Request(WaveRequestKind.Reconcile, $"upstream wave '{ready.Wave.Name}' is ready");
            }
        }

        if (!afterReconcile)
        {
            return;
        }

        var targets = ready.Wave.Members.Append(ready.Wave).ToHashSet();
        foreach (var resource in _model.Resources.Where(r => r is not WaveResource && r.GetWave() is null))
        {
            if (resource.Annotations.OfType<WaitAnnotation>().Any(w => targets.Contains(w.Resource))
                && _notifications.TryGetCurrentState(resource.Name, out var current)
                && current.Snapshot.State?.Text == KnownResourceStates.FailedToStart)
            {
                _ = ready.RunCommandAsync(resource, KnownResourceCommands.StartCommand, $"it gave up waiting for wave '{ready.Wave.Name}'", CancellationToken.None);
            }
        }
    }

    /// <summary><paramref name="resource"/> and the resources whose parent it is (a server and its databases).</summary>
    public IEnumerable<IResource> WithChildren(IResource resource) =>
        _model.Resources.Where(r => r == resource || (r is IResourceWithParent child && child.Parent == resource));

    /// <summary>
    /// One dashboard notification for a wave that failed by itself (a member failed or the timeout passed), naming the
    /// reason and the waves it blocks; waves that fail only because of it are named there rather than notified each.
    /// Never awaited: a notification completes only when the user dismisses it, and the wave must not wait for that
    /// (IInteractionService.PromptNotificationAsync, Aspire.Hosting 13.6.5). Not shown without a dashboard (tests, publish).
    /// </summary>
    public void NotifyFailed(WaveController failed, string reason, IReadOnlyList<string> late)
    {
        if (!_interactions.IsAvailable)
        {
            return;
        }

        var blocked = Downstream(failed.Wave).Select(w => $"'{w.Name}'").ToList();
        var message = $"{reason}.{(late.Count > 0 ? $" Not ready: {string.Join(", ", late)}." : "")}" +
            (blocked.Count > 0 ? $" Blocked until it is ready: {string.Join(", ", blocked)}." : "") +
            " Fix the cause (the member's details panel says why), then run 'Reconcile' on the wave.";
        _ = Task.Run(async () =>
        {
            try
            {
                await _interactions.PromptNotificationAsync($"Wave '{failed.Wave.Name}' failed", message,
                    new NotificationInteractionOptions { Intent = MessageIntent.Error }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
            {
                _host.LogDebug("Dashboard notification for wave '{Wave}' not shown: {Error}", failed.Wave.Name, ex.Message);
            }
        });
    }

    // Every wave that depends on `wave`, directly or through others, in model order.
    private IEnumerable<WaveResource> Downstream(WaveResource wave)
    {
        var found = new HashSet<WaveResource>();
        bool changed;
        do
        {
            changed = false;
            foreach (var w in Waves.Where(w => !found.Contains(w) && w.DependsOn.Any(d => d.Wave == wave || found.Contains(d.Wave))))
            {
                changed |= found.Add(w);
            }
        }
        while (changed);

        return Waves.Where(found.Contains);
    }

    private void WriteStartupReport()
    {
        var report = WaveStartupReport.Render(this, DateTime.UtcNow);
        StartupReport = report;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(ReportPath)!);
            File.WriteAllText(ReportPath, report);
            _host.LogInformation("Startup report (every wave settled; also written to {Path} and shown by the 'Startup report' command of every wave):\n{Report}", ReportPath, report);
        }
        catch (IOException ex)
        {
            _host.LogWarning("Startup report could not be written to {Path}: {Error}\n{Report}", ReportPath, ex.Message, report);
        }
        catch (UnauthorizedAccessException ex)
        {
            _host.LogWarning("Startup report could not be written to {Path}: {Error}\n{Report}", ReportPath, ex.Message, report);
        }
    }
}
