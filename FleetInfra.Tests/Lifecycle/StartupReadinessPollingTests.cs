using FleetInfra.Hosting.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FleetInfra.Tests.Lifecycle;

/// <summary>
/// A starting resource's check is polled inside one run, so readiness is reported when it happens instead of at
/// Aspire's next back-off step; a check that was healthy runs once, so a member turning unhealthy is seen at once.
/// </summary>
public class StartupReadinessPollingTests
{
    private sealed class CountingCheck(Func<int, bool> healthyOnCall) : IHealthCheck
    {
        public int Calls;

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(healthyOnCall(Interlocked.Increment(ref Calls)) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("not yet"));
    }

    private sealed class Member(string name) : Resource(name);

    private static (HealthCheckRegistration Registration, IServiceProvider Services) Wrap(CountingCheck check, string key, bool referenced = true)
    {
        var services = new ServiceCollection();
        services.AddHealthChecks().AddCheck(key, check);
        var member = new Member("member");
        if (referenced)
        {
            member.Annotations.Add(new HealthCheckAnnotation(key));
        }

        StartupReadinessPolling.Apply(services, [member]);
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Single(r => r.Name == key), provider);
    }

    private static Task<HealthCheckResult> RunOnceAsync(HealthCheckRegistration registration, IServiceProvider services) =>
        registration.Factory(services).CheckHealthAsync(new HealthCheckContext { Registration = registration });

    [Fact]
    public async Task A_starting_check_is_polled_until_it_passes_within_one_run()
    {
        var check = new CountingCheck(call => call >= 4);
        var (registration, services) = Wrap(check, "starting");

        var result = await RunOnceAsync(registration, services);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(4, check.Calls);
    }

    [Fact]
    public async Task A_check_that_was_healthy_reports_the_first_failure_at_once_and_polls_again_after_it()
    {
        var healthy = true;
        var check = new CountingCheck(_ => healthy);
        var (registration, services) = Wrap(check, "running");
        Assert.Equal(HealthStatus.Healthy, (await RunOnceAsync(registration, services)).Status);

        healthy = false;
        Assert.Equal(HealthStatus.Unhealthy, (await RunOnceAsync(registration, services)).Status);
        Assert.Equal(2, check.Calls);

        // Unhealthy now: the next run polls again and sees the recovery without waiting for another run.
        var recovering = RunOnceAsync(registration, services);
        await Task.Delay(StartupReadinessPolling.PollInterval * 3);
        healthy = true;
        Assert.Equal(HealthStatus.Healthy, (await recovering).Status);
        Assert.True(check.Calls > 3, $"expected polling, saw {check.Calls} calls");
    }

    [Fact]
    public async Task A_check_no_resource_refers_to_is_left_alone()
    {
        var check = new CountingCheck(_ => false);
        var (registration, services) = Wrap(check, "unused", referenced: false);

        Assert.Equal(HealthStatus.Unhealthy, (await RunOnceAsync(registration, services)).Status);
        Assert.Equal(1, check.Calls);
    }

    [Fact]
    public async Task A_check_that_never_passes_reports_unhealthy_after_the_budget()
    {
        var check = new CountingCheck(_ => false);
        var (registration, services) = Wrap(check, "failing");
        registration.Timeout = StartupReadinessPolling.PollInterval * 10;

        var result = await RunOnceAsync(registration, services);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.InRange(check.Calls, 2, 10);
    }
}
