using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Waves;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
// Builder extensions live in FleetInfra.Hosting (like Aspire's in Aspire.Hosting): one using reaches every component's API.
namespace FleetInfra.Hosting;

/// <summary>Builder extensions that place components into waves and order waves.</summary>
public static class WaveBuilderExtensions
{
    /// <summary>
    /// Adds a wave resource. Prefer <see cref="FleetInfraBuilder.AddWave"/>, which also applies the
    /// <c>FleetInfra:Waves:&lt;wave&gt;:Timeout</c> override.
    /// </summary>
    public static IResourceBuilder<WaveResource> AddWave(this IDistributedApplicationBuilder builder, string name, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A wave timeout must be positive.");
        }

        var wave = new WaveResource(name, timeout);
        builder.Services.TryAddSingleton<WaveCoordinator>();
        return builder.AddResource(wave)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Wave",
                State = KnownResourceStates.Waiting,
                Properties =
                [
                    new(WaveResource.TimeoutProperty, FleetInfraSettings.FormatDuration(timeout)),
                ],
            })
            .WithIconName("LayerDiagonal")
            .ExcludeFromManifest()
            .WithWaveCommands()
            .OnInitializeResource((resource, e, ct) =>
            {
                var controller = e.Services.GetRequiredService<WaveCoordinator>().Create(resource, e.Logger);
                if (resource.RetryInterval is { } retry)
                {
                    _ = e.Notifications.PublishUpdateAsync(resource, s => s with
                    {
                        Properties = WaveProperties.Set(s.Properties, WaveResource.RetryIntervalProperty, FleetInfraSettings.FormatDuration(retry)),
                    });
                }

                // The controller lives as long as the app; it must not block initialization of other resources.
                _ = Task.Run(() => controller.RunAsync(ct), ct);
                return Task.CompletedTask;
            });
    }

    /// <summary>Retries the wave after a failure every <paramref name="interval"/> (Flux <c>retryInterval</c>), locally.</summary>
    public static IResourceBuilder<WaveResource> WithRetryInterval(this IResourceBuilder<WaveResource> wave, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "A retry interval must be positive.");
        }

        wave.Resource.RetryInterval = interval;
        return wave;
    }

    /// <summary>
    /// Makes <paramref name="wave"/> start only after <paramref name="upstream"/> is ready (Flux <c>dependsOn</c>).
    /// Pass <paramref name="deviation"/> when the edge is not in the seed's table, to say why the model needs it.
    /// </summary>
    public static IResourceBuilder<WaveResource> DependsOn(this IResourceBuilder<WaveResource> wave, IResourceBuilder<WaveResource> upstream, string? deviation = null)
    {
        wave.Resource.AddDependency(new WaveDependency(upstream.Resource, deviation));
        return wave.WaitFor(upstream, WaitBehavior.StopOnResourceUnavailable);
    }

    /// <summary>
    /// Puts a component into a wave: it is shown under the wave in the dashboard, it starts after the wave's
    /// upstream waves are ready, and the wave is ready only when it is.
    /// </summary>
    public static IResourceBuilder<T> InWave<T>(this IResourceBuilder<T> component, IResourceBuilder<WaveResource> wave)
        where T : IResource
    {
        if (component.Resource.TryGetLastAnnotation<WaveMembershipAnnotation>(out var existing))
        {
            throw new InvalidOperationException($"'{component.Resource.Name}' is already a member of wave '{existing.Wave.Name}'.");
        }

        wave.Resource.AddMember(component.Resource);
        component.WithAnnotation(new WaveMembershipAnnotation(wave.Resource));
        if (component.Resource is ProjectResource project)
        {
            Components.Projects.ServiceProjects.Declare(component.ApplicationBuilder, project); // probes, image parameter
        }

        // A suspended wave holds its members back, next to Aspire's own WaitFor (also a BeforeResourceStartedEvent handler).
        var waveResource = wave.Resource;
        component.OnBeforeResourceStarted((member, e, ct) =>
            e.Services.GetRequiredService<WaveCoordinator>().Get(waveResource) is { } controller
                ? controller.HoldWhileSuspendedAsync(member, e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(member), ct)
                : Task.CompletedTask);
        return component.WithParentRelationship(wave.Resource);
    }

    /// <summary>The wave a component belongs to, following parents (a database belongs to its server's wave).</summary>
    public static WaveResource? GetWave(this IResource resource) =>
        resource.TryGetLastAnnotation<WaveMembershipAnnotation>(out var membership) ? membership.Wave
        : resource is IResourceWithParent child ? child.Parent.GetWave()
        : null;
}
