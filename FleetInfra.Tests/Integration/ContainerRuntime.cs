using FleetInfra.Hosting.Runtime;
using Microsoft.Extensions.Configuration;

namespace FleetInfra.Tests.Integration;

/// <summary>
/// Whether a container runtime answers. Without one, integration tests are skipped with the reason -
/// unless FLEETINFRA_REQUIRE_CONTAINERS=1 (CI), where they run and fail, so CI can never pass by skipping.
/// </summary>
internal static class ContainerRuntime
{
    private static readonly Lazy<string?> s_problem = new(() =>
    {
        var runtime = ContainerRuntimeCheck.RuntimeName(new ConfigurationBuilder().AddEnvironmentVariables().Build());
        return ContainerRuntimeCheck.ProbeAsync(runtime, TimeSpan.FromSeconds(15), CancellationToken.None).GetAwaiter().GetResult();
    });

    public static bool Required => Environment.GetEnvironmentVariable("FLEETINFRA_REQUIRE_CONTAINERS") == "1";

    public static string? SkipReason =>
        s_problem.Value is { } problem && !Required
            ? $"No container runtime answers ({problem}). Start Docker or Podman to run integration tests; set FLEETINFRA_REQUIRE_CONTAINERS=1 to fail instead of skipping."
            : null;

    public static void EnsureAvailable()
    {
        if (s_problem.Value is { } problem)
        {
            throw new InvalidOperationException($"FLEETINFRA_REQUIRE_CONTAINERS=1 but no container runtime answers: {problem}. Run 'bash eng/container-runtime.sh start'.");
        }
    }
}

/// <summary>A test that needs real containers (see <see cref="ContainerRuntime"/>).</summary>
public sealed class ContainerFactAttribute : FactAttribute
{
    /// <summary>Skips the test when no runtime answers and containers are not required.</summary>
    public ContainerFactAttribute()
    {
        if (ContainerRuntime.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>Integration tests share one container engine and one set of test volumes: never in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ContainersCollection
{
    public const string Name = "Containers";
}
