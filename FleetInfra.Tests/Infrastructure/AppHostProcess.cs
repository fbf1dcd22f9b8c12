using System.Diagnostics;
using Xunit.Abstractions;

namespace FleetInfra.Tests.Infrastructure;

/// <summary>
/// The real AppHost as a user starts it (<c>dotnet FleetInfra.AppHost.dll</c>, a process of its own), with only the
/// test's own FleetInfra settings: its exit code, how long it ran and everything it printed.
/// </summary>
internal static class AppHostProcess
{
    public sealed record Run(int ExitCode, TimeSpan Elapsed, string Output);

    public static async Task<Run> RunAsync(ITestOutputHelper output, string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        // The test project references the AppHost, so its build output (dll, deps and runtimeconfig) sits beside the tests.
        var appHost = Path.Combine(AppContext.BaseDirectory, "FleetInfra.AppHost.dll");
        var start = new ProcessStartInfo("dotnet", [appHost, .. args])
        {
            WorkingDirectory = Projects.FleetInfra_AppHost.ProjectPath,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("FleetInfra__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name); // only the test's own settings
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // a check that did not fire must not leave a stack running
            throw new TimeoutException("The AppHost did not stop within 60 s.");
        }

        clock.Stop();
        var text = $"{await stdout}{await stderr}";
        output.WriteLine($"exit code {process.ExitCode} after {clock.Elapsed.TotalSeconds:0.00} s:{Environment.NewLine}{text}");
        return new Run(process.ExitCode, clock.Elapsed, text);
    }
}
