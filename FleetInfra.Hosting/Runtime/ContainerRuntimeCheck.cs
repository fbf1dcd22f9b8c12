using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FleetInfra.Hosting.Runtime;

/// <summary>
/// Asks the container runtime whether it answers before containers are created. Without this, a machine
/// without a running engine shows containers "Starting" forever and logs nothing.
/// </summary>
internal static class ContainerRuntimeCheck
{
    /// <summary>The snapshot property that says why a container could not start.</summary>
    public const string FailureProperty = Lifecycle.MemberFailure.Property;

    /// <summary>How long <c>docker info</c> may take before the runtime counts as not answering.</summary>
    /// <remarks>
    /// A missing engine answers at once (the socket refuses), so this only bounds a busy or hung one. 15 s was too short:
    /// a dockerd 20.10 serving several pulls and container starts at once (CI's parallel test collections) took longer,
    /// and every container of that run then failed as "no container runtime".
    /// </remarks>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The runtime Aspire will use: <c>ASPIRE_CONTAINER_RUNTIME</c>, else docker.</summary>
    public static string RuntimeName(IConfiguration configuration) =>
        configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DcpPublisher:ContainerRuntime"] ?? "docker";

    /// <summary>Returns null when the runtime answers, otherwise why it does not.</summary>
    public static async Task<string?> ProbeAsync(string runtime, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The server's version is a field of different names: Docker's ServerVersion, Podman's Version.Version.
        var format = runtime == "podman" ? "{{.Version.Version}}" : "{{.ServerVersion}}";
        var start = new ProcessStartInfo(runtime, ["info", "--format", format])
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
    /// In run mode, before anything starts: when the runtime does not answer, logs why, takes the containers
    /// away from the orchestrator (it would wait on the engine forever) and marks them FailedToStart, so the
    /// dashboard and the waves report the problem instead of waiting silently. <paramref name="started"/> is a probe
    /// already under way (see <see cref="FleetInfraBuilder.Build"/>); a failure it reports is asked again, in case the
    /// engine came up since.
    /// </summary>
    public static async Task CheckAsync(DistributedApplicationModel model, IConfiguration configuration, IServiceProvider services, ILogger logger, Task<string?>? started, CancellationToken cancellationToken)
    {
        var runtime = RuntimeName(configuration);
        if (started is not null && await started.WaitAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        if (await ProbeAsync(runtime, ProbeTimeout, cancellationToken).ConfigureAwait(false) is not { } problem)
        {
            return;
        }

        var containers = model.Resources.OfType<ContainerResource>().ToList();
        logger.LogError(
            "No container runtime answers: {Problem}. The {Count} container resource(s) cannot start. Start Docker or Podman " +
            "(set ASPIRE_CONTAINER_RUNTIME=podman for Podman) and run again; see README.md, 'Prerequisites'.", problem, containers.Count);

        // Handing containers to the orchestrator would make it wait on the engine forever, with nothing in
        // the dashboard. Without them it starts normally; the containers (and what lives inside them, such
        // as databases) are reported failed instead, and the waves fail in order through their members.
        var failed = model.Resources.Where(r => r is ContainerResource || (r is IResourceWithParent { Parent: ContainerResource })).ToList();
        foreach (var container in containers)
        {
            model.Resources.Remove(container);
        }

        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        _ = Task.Run(() => KeepReportedAsync(notifications, failed, problem, stopping), CancellationToken.None);
    }

    private static async Task KeepReportedAsync(ResourceNotificationService notifications, List<IResource> failed, string problem, CancellationToken cancellationToken)
    {
        foreach (var resource in failed)
        {
            await MarkFailedAsync(notifications, resource, problem).ConfigureAwait(false);
        }

        // A parent's integration may still publish for its children (a database follows its server);
        // the runtime is still absent, so keep the reported failure in place.
        try
        {
            await foreach (var e in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                if (failed.Contains(e.Resource) && e.Snapshot.State?.Text != KnownResourceStates.FailedToStart)
                {
                    await MarkFailedAsync(notifications, e.Resource, problem).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The app is stopping.
        }
    }

    private static Task MarkFailedAsync(ResourceNotificationService notifications, IResource resource, string problem) =>
        Lifecycle.MemberFailure.MarkFailedAsync(notifications, resource, $"no container runtime: {problem}");
}
