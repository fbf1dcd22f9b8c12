using System.Diagnostics;

namespace FleetInfra.Benchmarks.DataLayerStart;

/// <summary>The container runtime's CLI (docker, or ASPIRE_CONTAINER_RUNTIME), the same one DCP drives.</summary>
internal static class Docker
{
    public static string Runtime => Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } runtime ? runtime : "docker";

    /// <summary>Runs the CLI and returns its standard output; throws with its error output on failure.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var (code, stdout, stderr) = await TryRunAsync(arguments);
        return code == 0 ? stdout : throw new InvalidOperationException($"{Runtime} {string.Join(' ', arguments)} failed ({code}): {stderr.Trim()}");
    }

    /// <summary>Runs the CLI and returns its exit code and output.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> TryRunAsync(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(Runtime, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{Runtime} could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The id of a container by name, or null when there is none.</summary>
    public static async Task<string?> ContainerIdAsync(string name)
    {
        var (code, stdout, _) = await TryRunAsync("container", "inspect", "--format", "{{.Id}}", name);
        return code == 0 ? stdout.Trim() : null;
    }

    /// <summary>Removes containers and volumes by exact name (only those this benchmark owns); missing ones are fine.</summary>
    public static async Task RemoveAsync(IEnumerable<string> containers, IEnumerable<string> volumes)
    {
        foreach (var container in containers)
        {
            await TryRunAsync("rm", "--force", "--volumes", container);
        }

        foreach (var volume in volumes)
        {
            await TryRunAsync("volume", "rm", "--force", volume);
        }
    }
}
