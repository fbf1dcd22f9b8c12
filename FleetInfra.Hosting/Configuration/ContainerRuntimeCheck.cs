using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace FleetInfra.Hosting.Configuration;

/// <summary>
/// Asks the container runtime whether it answers before containers are created. Without this, a machine
/// without a running engine shows containers "Starting" forever and logs nothing.
/// </summary>
internal static class ContainerRuntimeCheck
{
    /// <summary>The runtime Aspire will use: <c>ASPIRE_CONTAINER_RUNTIME</c>, else docker.</summary>
    public static string RuntimeName(IConfiguration configuration) =>
        configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DcpPublisher:ContainerRuntime"] ?? "docker";

    /// <summary>Returns null when the runtime answers, otherwise why it does not.</summary>
    public static async Task<string?> ProbeAsync(string runtime, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"'{runtime}' did not start.");
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            var stderr = process.StandardError.ReadToEndAsync(cts.Token);
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return $"'{runtime} info' did not answer within {timeout.TotalSeconds:0}s";
            }

            return process.ExitCode == 0 ? null : $"'{runtime} info' failed: {(await stderr.ConfigureAwait(false)).Trim()}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"'{runtime}' is not installed (not found on PATH)";
        }
    }

    /// <summary>
    /// In run mode: when the runtime does not answer, logs why and marks every container FailedToStart, so the
    /// dashboard and the waves report it instead of waiting silently.
    /// </summary>
    public static async Task ReportAsync(DistributedApplicationModel model, IConfiguration configuration, ResourceNotificationService notifications, ILogger logger, CancellationToken cancellationToken)
    {
        var runtime = RuntimeName(configuration);
        if (await ProbeAsync(runtime, TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false) is not { } problem)
        {
            return;
        }

        var containers = model.Resources.OfType<ContainerResource>().ToList();
        logger.LogError(
            "No container runtime answers: {Problem}. The {Count} container resource(s) cannot start. Start Docker or Podman " +
            "(set ASPIRE_CONTAINER_RUNTIME=podman for Podman) and run again; see README.md, 'Prerequisites'.", problem, containers.Count);

        await Task.WhenAll(containers.Select(async container =>
        {
            // Wait for the orchestrator's first snapshot so ours is not overwritten by it.
            await notifications.WaitForResourceAsync(container.Name, e => e.Snapshot.State?.Text is { Length: > 0 }, cancellationToken).ConfigureAwait(false);
            await notifications.PublishUpdateAsync(container, s => s with
            {
                State = new ResourceStateSnapshot(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error),
                Properties = [.. s.Properties.Where(p => p.Name != "fleetinfra.failure"), new("fleetinfra.failure", $"no container runtime: {problem}")],
            }).ConfigureAwait(false);
        })).ConfigureAwait(false);
    }
}
