using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using FleetInfra.Hosting;
using FleetInfra.Hosting.Waves;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace FleetInfra.Tests.Waves;

/// <summary>
/// Recovery of waves under Aspire's real orchestrator, without containers: members are real processes (executables
/// run by DCP) or a resource whose health the test controls. Reconcile, Suspend/Resume, RetryInterval, Degraded,
/// and the host log with its startup report.
/// </summary>
public sealed partial class WaveRecoveryTests : IDisposable
{
    private readonly string _flag = Path.Combine(Path.GetTempPath(), $"fleetinfra-wave-test-{Guid.NewGuid():N}");
    private readonly HostLog _log = new();

    public void Dispose() => File.Delete(_flag);

    private sealed class Gate
    {
        public volatile bool Open;
    }

    private sealed class TestMember(string name) : Resource(name);

    /// <summary>Every line the app writes to its own log (the terminal), by category.</summary>
    private sealed class HostLog : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        public IEnumerable<string> Waves => Lines.Where(l => l.Category == "FleetInfra.Waves").Select(l => l.Message);

        private sealed class Logger(HostLog log, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                log.Lines.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }

    private (IDistributedApplicationBuilder Builder, FleetInfraBuilder Fleet) CreateBuilder()
    {
        // A plain builder borrowing the AppHost assembly's orchestrator (DCP) settings: the model is the test's own.
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [],
            AssemblyName = "FleetInfra.AppHost",
            DisableDashboard = true,
        });
        builder.Services.AddLogging(l => l.AddProvider(_log));
        return (builder, builder.AddFleetInfra());
    }

    // A real process that fails (exits with code 3 after a second) until the flag file exists, and then runs;
    // healthy only while the flag exists, so it never looks ready in the second before it exits.
    private IResourceBuilder<ExecutableResource> AddFlakyMember(IDistributedApplicationBuilder builder, IResourceBuilder<WaveResource> wave)
    {
        var flag = _flag;
        builder.Services.AddHealthChecks().AddCheck("flag", () => File.Exists(flag) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("no flag"));
        return builder.AddExecutable("flaky", "sh", Path.GetTempPath(), "-c", $"if [ -e '{flag}' ]; then exec sleep 300; else sleep 1; exit 3; fi")
            .WithHealthCheck("flag")
            .InWave(wave);
    }

    // A failed resource that is being recovered: WaitForResourceHealthyAsync's default would give up on its current failure.
    private static Task WaitRecoveredAsync(ResourceNotificationService notifications, string resource, CancellationToken cancellationToken) =>
        notifications.WaitForResourceHealthyAsync(resource, WaitBehavior.WaitOnResourceUnavailable, cancellationToken);

    // A member whose health the test controls through the gate.
    private static void AddGatedMember(IDistributedApplicationBuilder builder, IResourceBuilder<WaveResource> wave, Gate gate)
    {
        builder.Services.AddHealthChecks().AddCheck("gate", () => gate.Open ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("gate closed"));
        builder.AddResource(new TestMember("member"))
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "Test", State = KnownResourceStates.Running, Properties = [] })
            .WithHealthCheck("gate")
            .InWave(wave);
    }

    private static string? Property(ResourceEvent e, string name) => e.Snapshot.Properties.SingleOrDefault(p => p.Name == name)?.Value?.ToString();

    private static Task<ResourceEvent> WaitForStateAsync(ResourceNotificationService notifications, string resource, string state, CancellationToken cancellationToken) =>
        notifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text == state, cancellationToken);

    [Fact]
    public async Task A_failed_wave_and_the_wave_after_it_recover_with_Reconcile_once_the_member_is_fixed()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var (builder, fleet) = CreateBuilder();
        var first = fleet.AddWave("first", TimeSpan.FromSeconds(30));
        AddFlakyMember(builder, first);
        var second = fleet.AddWave("second", TimeSpan.FromSeconds(30)).DependsOn(first);
        builder.AddExecutable("dependent", "sleep", Path.GetTempPath(), "300").InWave(second);
        await using var app = fleet.Build();
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();

        var start = app.StartAsync(timeout.Token);

        // The member exits with code 3: its wave fails naming it, the next wave and its member give up.
        var failed = await WaitForStateAsync(notifications, "first", KnownResourceStates.FailedToStart, timeout.Token);
        Assert.Equal("flaky", Property(failed, WaveResource.NotReadyProperty));
        Assert.Contains("'flaky' entered state", Property(failed, WaveResource.FailureProperty));
        await WaitForStateAsync(notifications, "second", KnownResourceStates.FailedToStart, timeout.Token);
        await WaitForStateAsync(notifications, "dependent", KnownResourceStates.FailedToStart, timeout.Token);
        await start;

        // Fixed; the dashboard's Reconcile on the failed wave.
        await File.WriteAllTextAsync(_flag, "", timeout.Token);
        var result = await app.ResourceCommands.ExecuteCommandAsync("first", WaveCommands.Reconcile, timeout.Token);
        Assert.True(result.Success, result.Message);

        await WaitRecoveredAsync(notifications, "first", timeout.Token);
        await WaitRecoveredAsync(notifications, "flaky", timeout.Token);
        // The downstream wave reconciles by itself and starts the member that gave up.
        await WaitRecoveredAsync(notifications, "dependent", timeout.Token);
        await WaitRecoveredAsync(notifications, "second", timeout.Token);
        Assert.True(notifications.TryGetCurrentState("second", out var recovered));
        Assert.Equal("1", Property(recovered!, WaveResource.ReconcilesProperty));

        var lines = _log.Waves.ToList();
        Assert.Contains(lines, l => l.StartsWith("Wave 'first' failed: member 'flaky' entered state", StringComparison.Ordinal) && l.Contains("Members not ready: flaky.", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Wave 'second' failed: upstream wave failed (first)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Wave 'first' reconciling again", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Wave 'first': starting 'flaky'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Wave 'second' reconciling again: upstream wave 'first' is ready", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Wave 'second' ready after", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_wave_with_a_retry_interval_recovers_without_a_command()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var (builder, fleet) = CreateBuilder();
        var first = fleet.AddWave("first", TimeSpan.FromSeconds(30)).WithRetryInterval(TimeSpan.FromSeconds(2));
        AddFlakyMember(builder, first);
        var second = fleet.AddWave("second", TimeSpan.FromSeconds(30)).DependsOn(first);
        builder.AddExecutable("dependent", "sleep", Path.GetTempPath(), "300").InWave(second);
        await using var app = fleet.Build();
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();

        await app.StartAsync(timeout.Token);
        var failed = await WaitForStateAsync(notifications, "first", KnownResourceStates.FailedToStart, timeout.Token);
        Assert.Equal("2s", Property(failed, WaveResource.RetryIntervalProperty));

        // Still broken: the retry runs and fails again (the member is started again each time).
        await notifications.WaitForResourceAsync("first", e => Property(e, WaveResource.ReconcilesProperty) == "1", timeout.Token);
        await WaitForStateAsync(notifications, "first", KnownResourceStates.FailedToStart, timeout.Token);

        await File.WriteAllTextAsync(_flag, "", timeout.Token);
        await WaitRecoveredAsync(notifications, "first", timeout.Token);
        await WaitRecoveredAsync(notifications, "dependent", timeout.Token);
        await WaitRecoveredAsync(notifications, "second", timeout.Token);
        Assert.Contains(_log.Waves, l => l.StartsWith("Wave 'first' reconciling again: retry after 2s (RetryInterval)", StringComparison.Ordinal));
        Assert.Contains(_log.Waves, l => l.StartsWith("Wave 'first' failed", StringComparison.Ordinal) && l.EndsWith("Retrying in 2s.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_suspended_wave_holds_its_members_back_past_its_timeout_and_Resume_runs_them()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var gate = new Gate();
        var (builder, fleet) = CreateBuilder();
        var first = fleet.AddWave("first", TimeSpan.FromMinutes(1));
        AddGatedMember(builder, first, gate);
        var second = fleet.AddWave("second", TimeSpan.FromSeconds(3)).DependsOn(first);
        builder.AddExecutable("dependent", "sleep", Path.GetTempPath(), "300").InWave(second);
        await using var app = fleet.Build();
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();

        var start = app.StartAsync(timeout.Token);
        await WaitForStateAsync(notifications, "first", WaveMonitor.ReconcilingState, timeout.Token);
        var suspended = await app.ResourceCommands.ExecuteCommandAsync("second", WaveCommands.Suspend, timeout.Token);
        Assert.True(suspended.Success, suspended.Message);
        await WaitForStateAsync(notifications, "second", WaveMonitor.SuspendedState, timeout.Token);

        gate.Open = true;
        await notifications.WaitForResourceHealthyAsync("first", timeout.Token);
        // Twice the wave's timeout: a suspended wave neither starts its member nor fails.
        await Task.Delay(TimeSpan.FromSeconds(6), timeout.Token);
        Assert.True(notifications.TryGetCurrentState("second", out var held));
        Assert.Equal(WaveMonitor.SuspendedState, held!.Snapshot.State?.Text);
        Assert.True(notifications.TryGetCurrentState("dependent", out var member));
        Assert.Equal(KnownResourceStates.Waiting, member!.Snapshot.State?.Text);
        Assert.False(start.IsCompleted); // the member's start is still being held

        var resumed = await app.ResourceCommands.ExecuteCommandAsync("second", WaveCommands.Resume, timeout.Token);
        Assert.True(resumed.Success, resumed.Message);
        await notifications.WaitForResourceAsync("dependent", KnownResourceStates.Running, timeout.Token);
        await notifications.WaitForResourceHealthyAsync("second", timeout.Token);
        await start;
        Assert.Contains(_log.Waves, l => l.StartsWith("Wave 'second' suspended", StringComparison.Ordinal));
        Assert.Contains(_log.Waves, l => l.StartsWith("Wave 'second' resumed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_ready_wave_whose_member_turns_unhealthy_is_degraded_naming_it_and_ready_again_after_it_recovers()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var gate = new Gate { Open = true };
        var (builder, fleet) = CreateBuilder();
        var first = fleet.AddWave("first", TimeSpan.FromMinutes(1));
        AddGatedMember(builder, first, gate);
        var second = fleet.AddWave("second", TimeSpan.FromMinutes(1)).DependsOn(first);
        builder.AddExecutable("dependent", "sleep", Path.GetTempPath(), "300").InWave(second);
        await using var app = fleet.Build();
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();

        await app.StartAsync(timeout.Token);
        await notifications.WaitForResourceHealthyAsync("second", timeout.Token);

        // Aspire re-checks a healthy resource every 30 s (ResourceHealthCheckService.HealthyHealthCheckInterval).
        gate.Open = false;
        var degraded = await WaitForStateAsync(notifications, "first", WaveMonitor.DegradedState, timeout.Token);
        Assert.Contains("'member'", Property(degraded, WaveResource.DegradedProperty));

        // Dependents keep running, as in a cluster.
        Assert.True(notifications.TryGetCurrentState("dependent", out var dependent));
        Assert.Equal(KnownResourceStates.Running, dependent!.Snapshot.State?.Text);

        gate.Open = true;
        await notifications.WaitForResourceHealthyAsync("first", timeout.Token);
        Assert.True(notifications.TryGetCurrentState("first", out var ready));
        Assert.Null(Property(ready!, WaveResource.DegradedProperty));
        Assert.Contains(_log.Waves, l => l.StartsWith("Wave 'first' degraded: 'member' Running/Unhealthy not ready", StringComparison.Ordinal));
        Assert.Contains(_log.Waves, l => l == "Wave 'first' ready again: every member is ready.");
    }

    [GeneratedRegex(@"^Wave '(?<wave>[a-z]+)' ready after (?<seconds>\d+\.\d) s\.$")]
    private static partial Regex ReadyLine();

    [Fact]
    public async Task The_host_log_has_one_line_per_wave_transition_and_a_startup_report_with_the_figures_of_the_run()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var (builder, fleet) = CreateBuilder();
        var first = fleet.AddWave("first", TimeSpan.FromSeconds(40));
        builder.AddExecutable("one", "sleep", Path.GetTempPath(), "300").InWave(first);
        var second = fleet.AddWave("second", TimeSpan.FromSeconds(50)).DependsOn(first);
        builder.AddExecutable("two", "sleep", Path.GetTempPath(), "300").InWave(second);
        var third = fleet.AddWave("third", TimeSpan.FromSeconds(5)).DependsOn(first);
        builder.AddExecutable("three", "sleep", Path.GetTempPath(), "300").InWave(third);
        await using var app = fleet.Build();
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();

        await app.StartAsync(timeout.Token);
        foreach (var wave in new[] { "first", "second", "third" })
        {
            await notifications.WaitForResourceHealthyAsync(wave, timeout.Token);
        }

        while (!_log.Waves.Any(l => l.StartsWith("Startup report", StringComparison.Ordinal)))
        {
            await Task.Delay(100, timeout.Token);
        }

        var lines = _log.Waves.ToList();
        foreach (var wave in new[] { "first", "second", "third" })
        {
            Assert.Single(lines, l => l.StartsWith($"Wave '{wave}' reconciling", StringComparison.Ordinal));
            var ready = Assert.Single(lines.Select(l => ReadyLine().Match(l)), m => m.Success && m.Groups["wave"].Value == wave);
            // The figure in the log line is the wave's own, as the dashboard shows it.
            Assert.True(notifications.TryGetCurrentState(wave, out var state));
            Assert.Equal($"{ready.Groups["seconds"].Value}s", Property(state!, WaveResource.ReadyAfterProperty));
        }

        var reportLine = Assert.Single(lines, l => l.StartsWith("Startup report", StringComparison.Ordinal));
        var path = Regex.Match(reportLine, @"written to (?<path>\S+\.md)").Groups["path"].Value;
        var report = await File.ReadAllTextAsync(path, timeout.Token);
        Assert.EndsWith(report, reportLine, StringComparison.Ordinal);
        Assert.Contains("3 of 3 waves ready", report, StringComparison.Ordinal);
        foreach (var (wave, member, waveTimeout) in new[] { ("first", "one", "40s"), ("second", "two", "50s"), ("third", "three", "5s") })
        {
            Assert.True(notifications.TryGetCurrentState(wave, out var state));
            var readyAfter = Property(state!, WaveResource.ReadyAfterProperty)!.TrimEnd('s');
            Assert.Matches($@"\| {wave} \| ready \| {member} \| {Regex.Escape(readyAfter)} s \| \+\d+\.\d s \| {waveTimeout} \| off \|", report);
        }

        // The model's critical path is the one with the longest timeouts; the observed one is whichever was slower here.
        Assert.Contains("- model: first → second (worst case 1m30s with the declared timeouts)", report, StringComparison.Ordinal);
        Assert.Matches(@"- observed: first \(\+\d+\.\d s\) → (second|third) \(\+\d+\.\d s\): ready \d+\.\d s after start", report);

        // The same report from the dashboard command.
        var command = await app.ResourceCommands.ExecuteCommandAsync("first", WaveCommands.Report, timeout.Token);
        Assert.True(command.Success);
        Assert.StartsWith(report, command.Data?.Value, StringComparison.Ordinal);
        File.Delete(path);
    }
}
