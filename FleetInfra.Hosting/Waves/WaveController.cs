using System.Collections.Concurrent;
using System.Threading.Channels;
using FleetInfra.Hosting.Components.ClusterOnly;
using FleetInfra.Hosting.Configuration;
using Microsoft.Extensions.Logging;
using static FleetInfra.Hosting.Waves.WaveMonitor;

namespace FleetInfra.Hosting.Waves;

/// <summary>
/// The local counterpart of kustomize-controller for one wave: waits for its upstream waves, then for its members
/// under the wave's timeout (Flux <c>wait: true</c>); once ready, watches its members and turns Degraded while one
/// is not ready (Flux sets <c>Ready=False</c> on the next health check); on request reconciles again (restarting
/// failed or unhealthy members through their own start/restart commands), suspends and resumes; after a failure
/// retries on its own every <see cref="WaveResource.RetryInterval"/> (Flux <c>retryInterval</c>). One loop per wave
/// handles one request at a time; a request interrupts whatever the loop is waiting for.
/// </summary>
internal sealed class WaveController
{
    private readonly WaveCoordinator _coordinator;
    private readonly ResourceNotificationService _notifications;
    private readonly WaveLog _log;
    private readonly WaveDashboard _dashboard;
    private readonly WaveDegradedWatch _watch;
    private readonly WaveMemberRestarts _restarts;
    private readonly Channel<WaveRequest> _requests = Channel.CreateUnbounded<WaveRequest>();
    private readonly Lock _lock = new();
    private CancellationTokenSource? _phase;
    private CancellationToken _stopping;
    private TaskCompletionSource _resumed = NewResumed(completed: true);
    private bool _suspended;

    public WaveController(WaveResource wave, WaveCoordinator coordinator, ResourceNotificationService notifications,
        ResourceCommandService commands, ILogger host, ILogger resourceLog)
    {
        Wave = wave;
        _coordinator = coordinator;
        _notifications = notifications;
        _log = new WaveLog(host, resourceLog);
        _dashboard = new WaveDashboard(wave, notifications);
        _watch = new WaveDegradedWatch(wave, notifications);
        _restarts = new WaveMemberRestarts(wave, notifications, commands, _log);
    }

    public WaveResource Wave { get; }

    public WavePhase Phase { get; private set; } = WavePhase.Waiting;

    /// <summary>True after an upstream wave failed: this wave reconciles again when that one turns ready.</summary>
    public bool FailedUpstream { get; private set; }

    /// <summary>When the last reconciliation of the members started.</summary>
    public DateTime? ReconcileStarted { get; private set; }

    /// <summary>When the wave was last ready.</summary>
    public DateTime? ReadyAt { get; private set; }

    /// <summary>From reconciling to ready, the last time the wave turned ready.</summary>
    public TimeSpan? ReadyAfter { get; private set; }

    /// <summary>Why the wave failed, the last time it did.</summary>
    public string? Failure { get; private set; }

    /// <summary>Members not ready at the last failure or while degraded.</summary>
    public IReadOnlyList<string> NotReady { get; private set; } = [];

    /// <summary>Reconciliations after the first one (commands, retries, upstream recovery).</summary>
    public int Reconciles { get; private set; }

    /// <summary>Asks the wave to reconcile, suspend or resume; interrupts what it is waiting for.</summary>
    public void Request(WaveRequestKind kind, string reason)
    {
        lock (_lock)
        {
            _requests.Writer.TryWrite(new WaveRequest(kind, reason));
            _phase?.Cancel();
        }
    }

    /// <summary>
    /// Holds a member back while the wave is suspended (called from the member's BeforeResourceStartedEvent);
    /// lets it go when the wave resumes or when someone starts it by hand (the dashboard's Start moves a waiting
    /// resource to Starting: ApplicationOrchestrator.StartResourceAsync in dotnet/aspire src/Aspire.Hosting/Orchestrator).
    /// Aspire's own WaitFor handler runs after this one, so the member's dependencies are awaited here first - the
    /// suspension must be judged when the member would really start, not when it began waiting. Same pattern as
    /// ApplicationOrchestrator.WaitForInBeforeResourceStartedEvent; a failed dependency fails the start the same way.
    /// </summary>
    public async Task HoldWhileSuspendedAsync(IResource member, ILogger memberLog, CancellationToken cancellationToken)
    {
        // Upstream waves ready and not suspended (a restart, a start by hand): nothing to hold, Aspire's WaitFor alone decides.
        if (!IsSuspended && Wave.DependsOn.All(d => _coordinator.Get(d.Wave)?.Phase is WavePhase.Ready or WavePhase.Degraded))
        {
            return;
        }

        if (await StartedByHandAsync(member, ct => _notifications.WaitForDependenciesAsync(member, ct), cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        Task resumed;
        lock (_lock)
        {
            if (!_suspended)
            {
                return;
            }

            resumed = _resumed.Task;
        }

        memberLog.LogInformation("Held back: wave '{Wave}' is suspended; it starts when the wave is resumed.", Wave.Name);
        await _notifications.PublishUpdateAsync(member, s => s with { State = KnownResourceStates.Waiting }).ConfigureAwait(false);
        await StartedByHandAsync(member, ct => resumed.WaitAsync(ct), cancellationToken).ConfigureAwait(false);
    }

    // Waits for `wait`, unless the member leaves the Waiting state first (started by hand): then returns true.
    private async Task<bool> StartedByHandAsync(IResource member, Func<CancellationToken, Task> waitFor, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var wait = waitFor(stop.Token);
        if (wait.IsCompletedSuccessfully)
        {
            return false;
        }

        var byHand = _notifications.WaitForResourceAsync(member.Name, e => e.Snapshot.State?.Text != KnownResourceStates.Waiting, stop.Token);
        try
        {
            var first = await Task.WhenAny(wait, byHand).ConfigureAwait(false);
            await first.ConfigureAwait(false); // a failed dependency fails the start
            return first == byHand;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(wait, byHand).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>The wave's loop: runs for the life of the app.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _stopping = cancellationToken;
        try
        {
            await ReconcileAsync(restart: false, cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                var request = await NextRequestAsync(cancellationToken).ConfigureAwait(false);
                await HandleAsync(request, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Nobody observes this task: a wave left "Reconciling" would keep every waiter waiting forever.
            _log.Resource.LogError(ex, "Wave '{Wave}' controller failed.", Wave.Name);
            await FailAsync($"controller error: {ex.Message}", [.. Wave.Members.Select(m => m.Name)], upstream: false).ConfigureAwait(false);
        }
    }

    private async Task<WaveRequest> NextRequestAsync(CancellationToken cancellationToken)
    {
        using var phase = BeginPhase(cancellationToken);
        try
        {
            switch (Phase)
            {
                case WavePhase.Ready or WavePhase.Degraded:
                    await WatchMembersAsync(phase.Token).ConfigureAwait(false);
                    break;
                // A wave that failed because of an upstream wave reconciles when that one is ready, not on its own timer.
                case WavePhase.Failed when Wave.RetryInterval is { } retry && !FailedUpstream:
                    await Task.Delay(retry, phase.Token).ConfigureAwait(false);
                    return new WaveRequest(WaveRequestKind.Reconcile, $"retry after {FleetInfraSettings.FormatDuration(retry)} (RetryInterval)");
                default:
                    await Task.Delay(Timeout.Infinite, phase.Token).ConfigureAwait(false);
                    break;
            }
        }
        catch (OperationCanceledException) when (phase.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            EndPhase(phase);
        }

        return await _requests.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task HandleAsync(WaveRequest request, CancellationToken cancellationToken)
    {
        switch (request.Kind)
        {
            case WaveRequestKind.Suspend:
                await SuspendAsync(request.Reason).ConfigureAwait(false);
                break;
            case WaveRequestKind.Resume:
                bool wasSuspended;
                lock (_lock)
                {
                    wasSuspended = _suspended;
                    _suspended = false;
                    _resumed.TrySetResult();
                }

                if (wasSuspended)
                {
                    _log.Both(LogLevel.Information, "Wave '{Wave}' resumed ({Reason}).", Wave.Name, request.Reason);
                    await ReconcileAsync(restart: true, cancellationToken).ConfigureAwait(false);
                }

                break;
            case WaveRequestKind.Reconcile when Phase == WavePhase.Suspended:
                _log.Both(LogLevel.Information, "Wave '{Wave}' is suspended: not reconciling ({Reason}); resume it first.", Wave.Name, request.Reason);
                break;
            case WaveRequestKind.Reconcile:
                _log.Both(LogLevel.Information, "Wave '{Wave}' reconciling again: {Reason}.", Wave.Name, request.Reason);
                await ReconcileAsync(restart: true, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task SuspendAsync(string reason)
    {
        lock (_lock)
        {
            if (_suspended)
            {
                return;
            }

            _suspended = true;
            _resumed = NewResumed(completed: false);
        }

        Phase = WavePhase.Suspended;
        _log.Both(LogLevel.Warning, "Wave '{Wave}' suspended ({Reason}): it starts nothing new and does not time out until resumed.", Wave.Name, reason);
        await _dashboard.SuspendedAsync().ConfigureAwait(false);
        _coordinator.OnTransition(this, WavePhase.Suspended, reason);
    }

    /// <summary>Waits for the upstream waves, then for the members under the timeout; interrupted by any request.</summary>
    private async Task ReconcileAsync(bool restart, CancellationToken cancellationToken)
    {
        using var phase = BeginPhase(cancellationToken);
        try
        {
            await ReconcileCoreAsync(restart, phase.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (phase.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // A request arrived (suspend, or reconcile again): the loop handles it next.
        }
        finally
        {
            EndPhase(phase);
        }
    }

    private async Task ReconcileCoreAsync(bool restart, CancellationToken cancellationToken)
    {
        var upstreamReady = Wave.DependsOn.All(d => _coordinator.Get(d.Wave)?.Phase is WavePhase.Ready or WavePhase.Degraded);
        if (restart && !upstreamReady)
        {
            Phase = WavePhase.Waiting;
            await _dashboard.WaitingAsync().ConfigureAwait(false);
        }

        try
        {
            await _notifications.WaitForDependenciesAsync(Wave, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var failed = Wave.DependsOn.Where(d => _coordinator.Get(d.Wave)?.Phase is not (WavePhase.Ready or WavePhase.Degraded)).Select(d => d.Wave.Name);
            var upstream = string.Join(", ", failed.DefaultIfEmpty(string.Join(", ", Wave.DependsOn.Select(d => d.Wave.Name))));
            _log.Resource.LogError("Not started: an upstream wave ({Upstream}) failed. {Reason}", upstream, ex.Message);
            await FailAsync($"upstream wave failed ({upstream})", [], upstream: true).ConfigureAwait(false);
            return;
        }

        if (IsSuspended)
        {
            await SuspendedAfterWaitAsync().ConfigureAwait(false);
            return;
        }

        var started = DateTime.UtcNow;
        ReconcileStarted = started;
        FailedUpstream = false;
        if (restart)
        {
            Reconciles++;
        }

        Phase = WavePhase.Reconciling;
        await _dashboard.ReconcilingAsync(started, Reconciles).ConfigureAwait(false);
        _log.Both(LogLevel.Information, "Wave '{Wave}' reconciling {Count} member(s), timeout {Timeout}.", Wave.Name, Wave.Members.Count, FleetInfraSettings.FormatDuration(Wave.Timeout));
        _coordinator.OnTransition(this, WavePhase.Reconciling, null);

        await ClearBlockedReasonsAsync().ConfigureAwait(false);
        var restarted = restart ? _restarts.Restart(_stopping) : [];

        var pending = new ConcurrentDictionary<string, IResource>(Wave.Members.ToDictionary(m => m.Name));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Wave.Timeout);

        string? failure = null;
        try
        {
            await Task.WhenAll(Wave.Members.Select(async member =>
            {
                var outcome = await WaitForMemberAsync(member, restarted.GetValueOrDefault(member.Name), timeout.Token).ConfigureAwait(false);
                if (outcome is null)
                {
                    pending.TryRemove(member.Name, out _);
                    _log.Resource.LogInformation("Member '{Member}' ready.", member.Name);
                }
                else
                {
                    Interlocked.CompareExchange(ref failure, $"member {outcome}", null);
                    // One failed member fails the wave now rather than at the timeout.
                    await timeout.CancelAsync().ConfigureAwait(false);
                }
            })).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            failure ??= $"timed out after {FleetInfraSettings.FormatDuration(Wave.Timeout)}";
        }

        if (failure is null && pending.IsEmpty)
        {
            await ReadyAsync(started, restart).ConfigureAwait(false);
            return;
        }

        await FailAsync(failure ?? "failed", [.. pending.Keys.Order(StringComparer.Ordinal)], upstream: false).ConfigureAwait(false);
    }

    private bool IsSuspended
    {
        get
        {
            lock (_lock)
            {
                return _suspended;
            }
        }
    }

    private async Task SuspendedAfterWaitAsync()
    {
        Phase = WavePhase.Suspended;
        await _dashboard.SuspendedAsync().ConfigureAwait(false);
    }

    private async Task ReadyAsync(DateTime started, bool afterRestart)
    {
        var now = DateTime.UtcNow;
        ReadyAt = now;
        ReadyAfter = now - started;
        NotReady = [];
        _watch.Reset();
        Phase = WavePhase.Ready;
        _log.Both(LogLevel.Information, "Wave '{Wave}' ready after {Elapsed:0.0} s.", Wave.Name, ReadyAfter.Value.TotalSeconds);
        await _dashboard.ReadyAsync(ReadyAfter.Value).ConfigureAwait(false);
        _coordinator.OnTransition(this, WavePhase.Ready, null);
        _coordinator.OnReady(this, afterRestart);
    }

    private async Task FailAsync(string reason, string[] late, bool upstream)
    {
        Failure = reason;
        NotReady = late;
        FailedUpstream = upstream;
        Phase = WavePhase.Failed;
        var retry = Wave.RetryInterval is { } interval && !upstream ? $" Retrying in {FleetInfraSettings.FormatDuration(interval)}." : "";
        if (late.Length > 0)
        {
            _log.Both(LogLevel.Error, "Wave '{Wave}' failed: {Failure}. Members not ready: {Late}.{Retry}", Wave.Name, reason, string.Join(", ", late), retry);
        }
        else
        {
            _log.Both(LogLevel.Error, "Wave '{Wave}' failed: {Failure}.{Retry}", Wave.Name, reason, retry);
        }

        await _dashboard.FailedAsync(reason, late).ConfigureAwait(false);
        await MarkBlockedMembersAsync(upstream ? $"not started: wave '{Wave.Name}' is blocked, {reason}" : $"not started: wave '{Wave.Name}' failed, {reason}").ConfigureAwait(false);
        _coordinator.OnTransition(this, WavePhase.Failed, reason);
        if (!upstream)
        {
            _coordinator.NotifyFailed(this, reason, late);
        }
    }

    // A new attempt: the reasons of the last one no longer hold (a reason that still does is set again by its owner).
    private async Task ClearBlockedReasonsAsync()
    {
        foreach (var resource in Wave.Members.SelectMany(m => _coordinator.WithChildren(m)))
        {
            if (_notifications.TryGetCurrentState(resource.Name, out var current) && Lifecycle.MemberFailure.Of(current.Snapshot) is { } why
                && why.StartsWith("not started: wave ", StringComparison.Ordinal))
            {
                await Lifecycle.MemberFailure.ClearAsync(_notifications, resource).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Members (and their children) of a failed wave that never got going say why. The state is left alone: changing a
    /// Waiting resource's state releases Aspire's own wait as if started by hand (ApplicationOrchestrator
    /// .WaitForInBeforeResourceStartedEvent, dotnet/aspire src/Aspire.Hosting/Orchestrator/ApplicationOrchestrator.cs),
    /// and that wait ends by itself in FailedToStart once what it waits for has failed (a wave, a server; databases
    /// follow their server through <see cref="Lifecycle.ChildResourcesFollowParent"/>).
    /// </summary>
    private async Task MarkBlockedMembersAsync(string reason)
    {
        foreach (var resource in Wave.Members.SelectMany(m => _coordinator.WithChildren(m)))
        {
            _notifications.TryGetCurrentState(resource.Name, out var current);
            var state = current?.Snapshot.State?.Text;
            if (resource is not ClusterOnlyResource && Lifecycle.MemberFailure.Of(current?.Snapshot) is null
                && (state is null || state == KnownResourceStates.Waiting || state == KnownResourceStates.NotStarted || state == "Unknown"
                    || state == KnownResourceStates.FailedToStart))
            {
                await Lifecycle.MemberFailure.SetReasonAsync(_notifications, resource, reason).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Returns null when the member is ready, otherwise why it never will be.</summary>
    private async Task<string?> WaitForMemberAsync(IResource member, Task? restarting, CancellationToken cancellationToken)
    {
        if (member is ClusterOnlyResource)
        {
            return null;
        }

        if (restarting is not null)
        {
            // Judge a restarted member only once its start (or stop and start) went through: before that it still
            // shows the failure it is being restarted for.
            await restarting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var resourceEvent = await _notifications.WaitForResourceAsync(
            member.Name,
            re => Evaluate(member, re.Snapshot) is not MemberState.Pending,
            cancellationToken).ConfigureAwait(false);

        var snapshot = resourceEvent.Snapshot;
        return Evaluate(member, snapshot) switch
        {
            MemberState.Ready => null,
            _ => member.HasAnnotationOfType<RunsToCompletionAnnotation>() && snapshot.ExitCode is { } code && code != 0
                ? $"'{member.Name}' exited with code {code}"
                : $"'{member.Name}' entered state '{snapshot.State?.Text}'{(Lifecycle.MemberFailure.Of(snapshot) is { } why ? $" ({why})" : "")}",
        };
    }

    /// <summary>Runs a lifecycle command of <paramref name="resource"/>; never throws (failures are logged).</summary>
    internal Task RunCommandAsync(IResource resource, string command, string why, CancellationToken cancellationToken) =>
        _restarts.RunCommandAsync(resource, command, why, cancellationToken);

    /// <summary>While ready: Degraded as soon as a member is not ready, ready again when all are. Ends on a request.</summary>
    private Task WatchMembersAsync(CancellationToken cancellationToken) =>
        _watch.WatchAsync(() => Phase == WavePhase.Degraded, DegradedAsync, RecoveredAsync, cancellationToken);

    private async Task DegradedAsync(string[] names, string text, bool changed, bool textChanged)
    {
        // One log line when the set of late members changes; the property follows every state change.
        var first = Phase != WavePhase.Degraded;
        NotReady = names;
        Phase = WavePhase.Degraded;
        if (changed)
        {
            _log.Both(LogLevel.Warning, "Wave '{Wave}' degraded: {Members} not ready. Dependents keep running; 'Reconcile' restarts it.", Wave.Name, text);
        }

        if (textChanged)
        {
            await _dashboard.DegradedAsync(text).ConfigureAwait(false);
        }

        if (changed)
        {
            _coordinator.OnTransition(this, WavePhase.Degraded, first ? text : $"now {text}");
        }

        if (first && Wave.Interval is { } interval)
        {
            CancellationToken watch;
            lock (_lock)
            {
                watch = _phase?.Token ?? _stopping;
            }

            _ = ReconcileIfStillDegradedAsync(interval, watch);
        }
    }

    // Drift correction (Flux `interval`): still degraded after the interval, the wave reconciles by itself. The watch's
    // token ends the timer when the wave leaves the watch (a request, a reconcile); recovering first makes it a no-op.
    private async Task ReconcileIfStillDegradedAsync(TimeSpan interval, CancellationToken watch)
    {
        try
        {
            await Task.Delay(interval, watch).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (Phase == WavePhase.Degraded)
        {
            Request(WaveRequestKind.Reconcile, $"still degraded after {FleetInfraSettings.FormatDuration(interval)} (Interval)");
        }
    }

    private async Task RecoveredAsync()
    {
        NotReady = [];
        Phase = WavePhase.Ready;
        _log.Both(LogLevel.Information, "Wave '{Wave}' ready again: every member is ready.", Wave.Name);
        await _dashboard.RecoveredAsync().ConfigureAwait(false);
        _coordinator.OnTransition(this, WavePhase.Ready, "recovered");
    }

    private CancellationTokenSource BeginPhase(CancellationToken cancellationToken)
    {
        var phase = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lock (_lock)
        {
            _phase = phase;
            if (_requests.Reader.Count > 0)
            {
                phase.Cancel();
            }
        }

        return phase;
    }

    private void EndPhase(CancellationTokenSource phase)
    {
        lock (_lock)
        {
            if (_phase == phase)
            {
                _phase = null;
            }
        }
    }

    private static TaskCompletionSource NewResumed(bool completed)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            tcs.SetResult();
        }

        return tcs;
    }
}
