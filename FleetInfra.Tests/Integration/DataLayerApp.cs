using System.Diagnostics;
using System.Security.Cryptography;
using FleetInfra.Hosting;
using FleetInfra.Hosting.Waves;
using FleetInfra.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FleetInfra.Tests.Integration;

/// <summary>
/// The real AppHost, started through <see cref="DistributedApplicationTestingBuilder"/> with the data layer
/// (postgres, redis, prometheus) and everything else left out through <c>FleetInfra:Exclude</c>. Images are the
/// model's own unless FLEETINFRA_TEST_IMAGES (<c>postgres=localhost/fleetinfra/postgres:15,redis=…</c>) names
/// others; they reach the app as <c>FleetInfra:Images:&lt;resource&gt;</c>, the setting users have. (Not the
/// ambient FleetInfra__Images__* variables: those would change every model test in the same process too.)
/// </summary>
public sealed class DataLayerApp : IAsyncDisposable
{
    /// <summary>The data layer: the components whose images CI builds from Debian packages (eng/images.env).</summary>
    public static readonly string[] DataLayer = ["postgres", "redis", "prometheus"];

    private static readonly Lazy<string[]> s_notInDataLayer = new(() =>
    {
        // Derived from the AppHost's model: every component that runs locally, except the data layer (a new component
        // is left out without editing this list; its databases go with their server).
        var builder = FleetModel.CreateAsync().GetAwaiter().GetResult();
        try
        {
            return FleetComponents.Of(builder.Resources).Where(r => r is ContainerResource or ProjectResource).Select(r => r.Name).Except(DataLayer).ToArray();
        }
        finally
        {
            builder.Dispose();
        }
    });

    /// <summary>Every component that runs locally, except the data layer: what the integration tests leave out.</summary>
    public static string[] NotInDataLayer => s_notInDataLayer.Value;

    /// <summary>Test volumes get their own names, so a developer's own stack data is never touched.</summary>
    public const string VolumePrefix = "fleetinfra-it";

    // Stable for the test process (a data volume keeps the password of its first initdb); random per run,
    // so no password is ever written into the code. Test volumes are removed once per process to match.
    private static readonly string s_postgresPassword = RandomPassword();
    private static readonly string s_redisPassword = RandomPassword();
    private static readonly Lazy<Task> s_freshVolumes = new(RemoveTestVolumesAsync);

    private DataLayerApp(DistributedApplication app, StateRecorder recorder, FleetInfraBuilder fleet)
    {
        App = app;
        Recorder = recorder;
        Fleet = fleet;
    }

    public DistributedApplication App { get; }

    public StateRecorder Recorder { get; }

    public FleetInfraBuilder Fleet { get; }

    public ResourceNotificationService Notifications => App.ResourceNotifications;

    /// <summary>Builds the AppHost's model, lets the test change it, starts it and waits for <paramref name="healthy"/>.</summary>
    public static async Task<DataLayerApp> StartAsync(ITestOutputHelper output, string[] healthy, string[]? exclude = null, string[]? args = null,
        Action<IDistributedApplicationTestingBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        ContainerRuntime.EnsureAvailable();
        await s_freshVolumes.Value;

        string[] allArgs =
        [
            $"FleetInfra:Exclude={string.Join(',', exclude ?? NotInDataLayer)}",
            $"Parameters:postgres-password={s_postgresPassword}",
            $"Parameters:redis-password={s_redisPassword}",
            .. TestImages(),
            .. args ?? [],
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FleetInfra_AppHost>(allArgs, cancellationToken);
        UseTestVolumesAndPorts(builder);
        configure?.Invoke(builder);
        var fleet = (FleetInfraBuilder)builder.Services.Single(d => d.ServiceType == typeof(FleetInfraBuilder)).ImplementationInstance!;

        foreach (var line in fleet.ExclusionLog)
        {
            output.WriteLine($"[exclude] {line}");
        }

        foreach (var container in builder.Resources.OfType<ContainerResource>())
        {
            var image = container.Annotations.OfType<ContainerImageAnnotation>().Last();
            output.WriteLine($"[image] {container.Name}: {image.Registry}/{image.Image}:{image.Tag}");
        }

        var app = await builder.BuildAsync(cancellationToken);
        var recorder = new StateRecorder(app.ResourceNotifications);
        try
        {
            var started = Stopwatch.StartNew();
            await app.StartAsync(cancellationToken);
            foreach (var name in healthy)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(name, WaitBehavior.StopOnResourceUnavailable, cancellationToken);
            }

            output.WriteLine($"[start] {string.Join(", ", healthy)} healthy {started.Elapsed.TotalSeconds:0.0}s after StartAsync");
            return new DataLayerApp(app, recorder, fleet);
        }
        catch
        {
            // A failed start must not leave containers behind for the next test.
            await recorder.DisposeAsync();
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>For apps built another way (ServiceTesting): the runtime is there, test volumes are fresh.</summary>
    internal static async Task PrepareAsync()
    {
        ContainerRuntime.EnsureAvailable();
        await s_freshVolumes.Value;
    }

    /// <summary>The test's passwords and images as arguments, for apps built another way (after <see cref="PrepareAsync"/>).</summary>
    internal static string[] TestArguments() =>
        [$"Parameters:postgres-password={s_postgresPassword}", $"Parameters:redis-password={s_redisPassword}", .. TestImages()];

    public async Task<string> ConnectionStringAsync(string resource, CancellationToken cancellationToken) =>
        await App.GetConnectionStringAsync(resource, cancellationToken) ?? throw new InvalidOperationException($"'{resource}' has no connection string.");

    public async ValueTask DisposeAsync()
    {
        await Recorder.DisposeAsync();
        await App.DisposeAsync();
    }

    private static IEnumerable<string> TestImages() =>
        (Environment.GetEnvironmentVariable("FLEETINFRA_TEST_IMAGES") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => pair.Length == 2
                ? $"FleetInfra:Images:{pair[0]}={pair[1]}"
                : throw new InvalidOperationException($"FLEETINFRA_TEST_IMAGES: '{string.Join('=', pair)}' is not <resource>=<image reference>."));

    // Own volumes, and random host ports: a developer's stack (FleetInfra:Lifetime=Persistent keeps it running)
    // may hold the model's fixed ports. The tests read addresses from the app, never from the model.
    internal static void UseTestVolumesAndPorts(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var endpoint in builder.Resources.SelectMany(r => r.Annotations.OfType<EndpointAnnotation>()))
        {
            endpoint.Port = null;
        }

        foreach (var resource in builder.Resources)
        {
            foreach (var mount in resource.Annotations.OfType<ContainerMountAnnotation>().Where(m => m.Type == ContainerMountType.Volume).ToList())
            {
                resource.Annotations.Remove(mount);
                resource.Annotations.Add(new ContainerMountAnnotation($"{VolumePrefix}-{resource.Name}-data", mount.Target, ContainerMountType.Volume, mount.IsReadOnly));
            }
        }
    }

    private static async Task RemoveTestVolumesAsync()
    {
        var list = await DockerAsync("volume", "ls", "--quiet", "--filter", $"name={VolumePrefix}-");
        var volumes = list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (volumes.Length > 0)
        {
            await DockerAsync(["volume", "rm", "--force", .. volumes]);
        }
    }

    /// <summary>Runs the container runtime's CLI (docker, or ASPIRE_CONTAINER_RUNTIME) and returns its output.</summary>
    public static async Task<string> DockerAsync(params string[] arguments)
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") ?? "docker";
        using var process = Process.Start(new ProcessStartInfo(runtime, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? stdout : throw new InvalidOperationException($"{runtime} {string.Join(' ', arguments)} failed: {stderr}");
    }

    private static string RandomPassword() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
