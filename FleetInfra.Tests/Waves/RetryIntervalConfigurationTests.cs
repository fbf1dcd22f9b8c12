using FleetInfra.Hosting.Configuration;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Waves;

/// <summary><c>FleetInfra:Waves:&lt;wave&gt;:RetryInterval</c> and <c>FleetInfra:Waves:RetryInterval</c>: off unless set, validated like the timeout.</summary>
public class RetryIntervalConfigurationTests
{
    [Fact]
    public async Task Without_a_setting_no_wave_retries_on_its_own()
    {
        await using var builder = await FleetModel.CreateAsync();

        Assert.All(builder.Resources.OfType<Hosting.Waves.WaveResource>(), w => Assert.Null(w.RetryInterval));
    }

    [Fact]
    public async Task A_default_applies_to_every_wave_and_a_wave_setting_overrides_it()
    {
        await using var builder = await FleetModel.CreateAsync("FleetInfra:Waves:RetryInterval=2m", "FleetInfra:Waves:database-workloads:RetryInterval=30s", "FleetInfra:Waves:services:Timeout=90s");

        Assert.Equal(TimeSpan.FromSeconds(30), builder.Wave("database-workloads").RetryInterval);
        Assert.Equal(TimeSpan.FromMinutes(2), builder.Wave("services").RetryInterval);
        Assert.Equal(TimeSpan.FromSeconds(90), builder.Wave("services").Timeout);
        Assert.Equal(TimeSpan.FromMinutes(2), builder.Wave("infrastructure-core").RetryInterval);
    }

    [Fact]
    public async Task A_retry_interval_is_local_only()
    {
        await using var builder = await FleetModel.CreatePublishAsync("FleetInfra:Waves:RetryInterval=2m");

        Assert.Null(builder.Wave("services").RetryInterval);
    }

    [Fact]
    public async Task Every_wave_reconciles_a_drift_after_one_minute_unless_Interval_says_otherwise_and_only_locally()
    {
        await using var defaults = await FleetModel.CreateAsync();
        Assert.All(defaults.Resources.OfType<Hosting.Waves.WaveResource>(), w => Assert.Equal(FleetInfraSettings.DefaultWaveInterval, w.Interval));
        Assert.Equal(TimeSpan.FromMinutes(1), FleetInfraSettings.DefaultWaveInterval);

        await using var set = await FleetModel.CreateAsync("FleetInfra:Waves:Interval=5m", "FleetInfra:Waves:database-workloads:Interval=20s");
        Assert.Equal(TimeSpan.FromSeconds(20), set.Wave("database-workloads").Interval);
        Assert.Equal(TimeSpan.FromMinutes(5), set.Wave("services").Interval);

        await using var publish = await FleetModel.CreatePublishAsync("FleetInfra:Waves:Interval=5m");
        Assert.Null(publish.Wave("services").Interval);
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "FleetInfra:Waves:services:RetryInterval=soon", "FleetInfra:Waves:services:RetryInterval", "'5m'" },
        { "FleetInfra:Waves:services:RetryInterval=0s", "FleetInfra:Waves:services:RetryInterval", "positive duration" },
        { "FleetInfra:Waves:services:RetryInterval=00:00:00.5", "FleetInfra:Waves:services:RetryInterval", "whole seconds" },
        { "FleetInfra:Waves:RetryInterval=25h", "FleetInfra:Waves:RetryInterval", "up to 24h" },
        { "FleetInfra:Waves:Timeout=5m", "FleetInfra:Waves:Timeout", "Allowed: FleetInfra:Waves:RetryInterval" },
        { "FleetInfra:Waves:services:Intervall=1m", "FleetInfra:Waves:services:Intervall", "Allowed: Timeout, RetryInterval, Interval" },
        { "FleetInfra:Waves:services:Interval=soon", "FleetInfra:Waves:services:Interval", "is not a drift interval" },
        { "FleetInfra:Waves:wave-9:RetryInterval=5m", "FleetInfra:Waves", "infrastructure-core" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_retry_interval_fails_before_anything_starts_naming_the_key_and_what_is_allowed(string setting, string key, string allowedHint)
    {
        var error = await Assert.ThrowsAsync<FleetInfraConfigurationException>(() => FleetModel.CreateAsync(setting));

        Assert.Equal(key, error.Key);
        Assert.Contains(allowedHint, error.Message);
    }
}
