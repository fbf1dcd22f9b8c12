using System.Collections.Concurrent;
using System.Diagnostics;
using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Lifecycle;
using FleetInfra.Hosting.Waves;
using Microsoft.Extensions.Logging;

namespace FleetInfra.Hosting.Images;

/// <summary>
/// Images up front: when the local run starts, every container's image (as <c>FleetInfra:Exclude</c>,
/// <c>FleetInfra:Images</c> and <c>FleetInfra:Registry</c> left it) is looked up in the container runtime and, where
/// missing, pulled - in parallel, a few at a time - while the waves wait for their upstream waves. Without this, each
/// container is pulled by DCP only when its wave starts it, so a missing image in the last wave is found minutes in.
/// A member about to start waits for its own image (so DCP does not pull it a second time). An image that cannot be
/// had fails its component at once, with one terminal line naming the image, the runtime's reason and the keys that
/// fix it; a long pull shows its progress in the terminal (every <see cref="ProgressEvery"/>) and on the resource.
/// </summary>
internal sealed class ImagePrefetch
{
    /// <summary>The snapshot property showing the pull's progress, then how it ended.</summary>
    public const string Property = "fleetinfra.image";

    /// <summary>Pulls at once: enough to fill a link, few enough not to starve the first wave's own.</summary>
    public const int Parallelism = 3;

    /// <summary>At most one progress line per image in this interval.</summary>
    public static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<IResource, Task<ImageOutcome>> _outcomes = new();
    private readonly string _runtime;
    private readonly ResourceNotificationService _notifications;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots = new(Parallelism);

    public ImagePrefetch(string runtime, ResourceNotificationService notifications, ILogger logger)
    {
        _runtime = runtime;
        _notifications = notifications;
        _logger = logger;
    }

    /// <summary>Starts the check of every container image of <paramref name="model"/>; returns at once.</summary>
    public void Start(DistributedApplicationModel model, CancellationToken cancellationToken)
    {
        foreach (var container in model.Resources.OfType<ContainerResource>())
        {
            // Never: the user keeps the image themselves; Always: DCP pulls anyway (Aspire's ImagePullPolicy).
            if (container.TryGetLastAnnotation<ContainerImagePullPolicyAnnotation>(out var pull) && pull.ImagePullPolicy is ImagePullPolicy.Never or ImagePullPolicy.Always)
            {
                continue;
            }

            if (container.TryGetContainerImageName(out var image))
            {
                _outcomes[container] = Task.Run(() => EnsureAsync(container, image, cancellationToken), CancellationToken.None);
            }
        }
    }

    /// <summary>The check of <paramref name="resource"/>'s image, or null when there is none under way.</summary>
    public Task<ImageOutcome>? Of(IResource resource) => _outcomes.GetValueOrDefault(resource);

    /// <summary>Checks and, if needed, pulls <paramref name="image"/> again (after the image was fixed in place).</summary>
    public Task<ImageOutcome> Recheck(IResource resource, string image, CancellationToken cancellationToken) =>
        _outcomes[resource] = Task.Run(() => EnsureAsync(resource, image, cancellationToken), CancellationToken.None);

    private async Task<ImageOutcome> EnsureAsync(IResource resource, string image, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            if (await RunAsync(["image", "inspect", "--format", "{{.Id}}", image], null, cancellationToken).ConfigureAwait(false) is { ExitCode: 0 })
            {
                return new ImageOutcome(image, Available: true, Pulled: false, Error: null, clock.Elapsed);
            }

            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await PullAsync(resource, image, clock, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            // No runtime on PATH: ContainerRuntimeCheck reports that once for every container.
            return new ImageOutcome(image, Available: false, Pulled: false, ex.Message, clock.Elapsed);
        }
    }

    private async Task<ImageOutcome> PullAsync(IResource resource, string image, Stopwatch clock, CancellationToken cancellationToken)
    {
        var progress = new ImagePullProgress();
        var lastReport = TimeSpan.Zero;
        await SetAsync(resource, $"pulling {image}").ConfigureAwait(false);
        var result = await RunAsync(["pull", image], line =>
        {
            if (!progress.Read(line) || clock.Elapsed - lastReport < ProgressEvery)
            {
                return;
            }

            lastReport = clock.Elapsed;
            _logger.LogInformation("Pulling '{Image}' for '{Resource}': {Progress}, {Elapsed:0} s.", image, resource.Name, progress, clock.Elapsed.TotalSeconds);
            _ = SetAsync(resource, $"pulling {image}: {progress}, {clock.Elapsed.TotalSeconds:0} s");
        }, cancellationToken).ConfigureAwait(false);

        if (result.ExitCode == 0)
        {
            _logger.LogInformation("Pulled '{Image}' for '{Resource}' in {Elapsed:0.0} s.", image, resource.Name, clock.Elapsed.TotalSeconds);
            await SetAsync(resource, $"pulled {image} in {clock.Elapsed.TotalSeconds:0.0} s").ConfigureAwait(false);
            return new ImageOutcome(image, Available: true, Pulled: true, Error: null, clock.Elapsed);
        }

        var reason = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? $"exit code {result.ExitCode}";
        var name = resource.Name;
        _logger.LogError(
            "Image '{Image}' of '{Resource}' cannot be pulled: {Reason}. Fix: {ImagesKey}={Another} (or {RegistryKey} for every image), " +
            "or leave it out with {ExcludeKey}={Resource}; without a restart: '{SetImage}' on '{Resource}' in the dashboard, then 'Reconcile' on its wave.",
            image, name, reason, $"{FleetInfraSettings.SectionName}:Images:{name}", "<an image you have>", $"{FleetInfraSettings.SectionName}:Registry",
            $"{FleetInfraSettings.SectionName}:Exclude", name, "Set image", name);
        await SetAsync(resource, $"cannot be pulled: {image}").ConfigureAwait(false);
        await MemberFailure.MarkFailedAsync(_notifications, resource,
            $"image '{image}' cannot be pulled: {reason}. Fix: FleetInfra:Images:{name}, or FleetInfra:Exclude={name}").ConfigureAwait(false);
        return new ImageOutcome(image, Available: false, Pulled: false, reason, clock.Elapsed);
    }

    private Task SetAsync(IResource resource, string text) =>
        _notifications.PublishUpdateAsync(resource, s => s with { Properties = WaveProperties.SetHighlighted(s.Properties, Property, "Image", text) });

    private sealed record Result(int ExitCode, string Stderr);

    private async Task<Result> RunAsync(string[] args, Action<string>? onLine, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_runtime, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"'{_runtime}' did not start.");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            onLine?.Invoke(line);
        }

        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Result(process.ExitCode, await stderr.ConfigureAwait(false));
    }
}
