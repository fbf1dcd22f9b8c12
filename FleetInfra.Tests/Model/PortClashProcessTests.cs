using System.Net;
using System.Net.Sockets;
using FleetInfra.Tests.Infrastructure;
using FleetInfra.Tests.Integration;
using Xunit.Abstractions;

namespace FleetInfra.Tests.Model;

/// <summary>
/// The real AppHost as a user starts it (<c>dotnet FleetInfra.AppHost.dll</c>, a process of its own): a host port
/// another program holds stops it before anything starts, within 10 s, with exit code 1 and a line naming the
/// resource, the port and the key to change - with or without a container runtime.
/// </summary>
public sealed class PortClashProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);

    // Only postgres keeps a fixed host port, so other programs on this machine (8080, 5050, ...) cannot add lines.
    private static readonly string s_exclude = string.Join(',', DataLayerApp.NotInDataLayer.Append("redis").Append("prometheus"));

    [Fact]
    public async Task A_port_another_program_holds_stops_the_apphost_within_10_s_naming_resource_port_and_key()
    {
        using var holder = HoldFreePort(out var port);

        var run = await RunAppHostAsync([$"--FleetInfra:Ports:postgres={port}", $"--FleetInfra:Exclude={s_exclude}"]);

        AssertClashReported(run, port);
    }

    [Fact]
    public async Task The_clash_is_reported_without_a_container_runtime()
    {
        using var holder = HoldFreePort(out var port);

        // A Docker CLI whose daemon socket does not exist: the "engine not running" case (as in NoRuntimeTests).
        var run = await RunAppHostAsync([$"--FleetInfra:Ports:postgres={port}", $"--FleetInfra:Exclude={s_exclude}"],
            new() { ["DOCKER_HOST"] = "unix:///nonexistent/fleetinfra-no-engine.sock", ["ASPIRE_CONTAINER_RUNTIME"] = "docker" });

        AssertClashReported(run, port);
    }

    [Fact]
    public async Task A_bad_setting_exits_with_code_1_and_the_key_instead_of_an_unhandled_exception()
    {
        var run = await RunAppHostAsync(["--FleetInfra:Ports:postgres=abc"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("fail: FleetInfra: Invalid configuration 'FleetInfra:Ports:postgres': 'abc' is not a port.", run.Output);
        Assert.DoesNotContain("Unhandled exception", run.Output);
    }

    private static void AssertClashReported(AppHostProcess.Run run, int port)
    {
        Assert.True(run.Elapsed < s_bound, $"The AppHost took {run.Elapsed.TotalSeconds:0.0} s to stop.");
        Assert.Equal(1, run.ExitCode); // not 134 (an unhandled exception aborts the process)
        Assert.Contains($"fail: FleetInfra: Port {port} of 'postgres' (endpoint 'tcp') is already in use by another program. " +
            "Set FleetInfra:Ports:postgres to a free port or 'auto'.", run.Output);
        Assert.DoesNotContain("Unhandled exception", run.Output);
    }

    private static TcpListener HoldFreePort(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    private Task<AppHostProcess.Run> RunAppHostAsync(string[] args, Dictionary<string, string>? environment = null) =>
        AppHostProcess.RunAsync(output, args, environment);
}
