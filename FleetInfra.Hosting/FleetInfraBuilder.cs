using FleetInfra.Hosting.Components.ClusterOnly;
using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Passes;
using FleetInfra.Hosting.Runtime;
using FleetInfra.Hosting.Waves;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetInfra.Hosting;

/// <summary>
/// The FleetInfra layer over an Aspire builder: waves with configurable timeouts, and a <see cref="Build"/> that
/// checks the configuration against the model, applies exclusions, image, port and lifetime overrides, derives
/// the wave edges, rejects cycles and, in a local run, host port clashes - all before any resource starts.
/// </summary>
public sealed class FleetInfraBuilder
{
    private readonly List<string> _exclusionLog = [];
    private readonly FleetInfraConfigurationException? _settingsError;

    internal FleetInfraBuilder(IDistributedApplicationBuilder app, FleetInfraSettings settings, FleetInfraConfigurationException? settingsError = null)
    {
        App = app;
        Settings = settings;
        _settingsError = settingsError;
    }

    /// <summary>The Aspire builder.</summary>
    public IDistributedApplicationBuilder App { get; }

    /// <summary>The parsed <c>FleetInfra:*</c> configuration.</summary>
    public FleetInfraSettings Settings { get; }

    /// <summary>What the exclusions removed or changed, one line each (empty when nothing was excluded).</summary>
    public IReadOnlyList<string> ExclusionLog => _exclusionLog;

    /// <summary>
    /// Adds a wave; in a local run <c>FleetInfra:Waves:&lt;name&gt;:Timeout</c> overrides <paramref name="timeout"/>, and
    /// <c>FleetInfra:Waves:&lt;name&gt;:RetryInterval</c> (or <c>FleetInfra:Waves:RetryInterval</c>) turns on automatic retries, and
    /// <c>FleetInfra:Waves:&lt;name&gt;:Interval</c> (or <c>FleetInfra:Waves:Interval</c>, default 1m) sets after how long a degraded wave reconciles by itself.
    /// Publishing and the generated documents always use the declared timeout: a local override must not
    /// change what goes to the clusters.
    /// </summary>
    public IResourceBuilder<WaveResource> AddWave(string name, TimeSpan timeout)
    {
        var wave = App.AddWave(name, timeout);
        if (App.ExecutionContext.IsRunMode && Settings.WaveTimeouts.TryGetValue(name, out var overridden))
        {
            wave.Resource.Timeout = overridden;
        }

        if (App.ExecutionContext.IsRunMode && (Settings.WaveRetryIntervals.TryGetValue(name, out var retry) ? retry : Settings.DefaultRetryInterval) is { } interval)
        {
            wave.Resource.RetryInterval = interval;
        }

        if (App.ExecutionContext.IsRunMode)
        {
            wave.Resource.Interval = Settings.WaveIntervals.TryGetValue(name, out var drift) ? drift : Settings.DefaultInterval ?? FleetInfraSettings.DefaultWaveInterval;
        }

        return wave;
    }

    /// <summary>
    /// Finishes the model (see the class remarks) and builds the application; a wrong configuration throws
    /// <see cref="FleetInfraConfigurationException"/> before anything starts.
    /// </summary>
    public DistributedApplication Build()
    {
        Complete();
        // The container-runtime question is asked while the host is built instead of after it: the answer is
        // needed before the orchestrator starts, and `docker info` is otherwise on the start's critical path.
        if (App.ExecutionContext.IsRunMode && App.Resources.OfType<ContainerResource>().Any())
        {
            RuntimeProbe = ContainerRuntimeCheck.ProbeAsync(ContainerRuntimeCheck.RuntimeName(App.Configuration), ContainerRuntimeCheck.ProbeTimeout, CancellationToken.None);
        }

        return App.Build();
    }

    /// <summary>The up-front image check of the local run; null until it started (or without containers).</summary>
    internal Images.ImagePrefetch? ImageCheck { get; set; }

    /// <summary>The container-runtime probe started by <see cref="Build"/>; null when it was not started.</summary>
    internal Task<string?>? RuntimeProbe { get; private set; }

    /// <summary>
    /// Builds and runs the application and returns the process's exit code: when this AppHost is the process, a wrong
    /// configuration or a host port clash prints one <c>fail: FleetInfra:</c> line per problem on stderr and returns 1
    /// instead of aborting with an unhandled exception. When something else hosts the entry point (Aspire.Hosting.Testing
    /// invokes it in the test process), the exception propagates to it as from <see cref="Build"/>.
    /// </summary>
    public int Run()
    {
        try
        {
            Build().Run();
            return Environment.ExitCode;
        }
        catch (FleetInfraConfigurationException error) when (OwnsProcess)
        {
            foreach (var line in error.Lines)
            {
                Console.Error.WriteLine($"fail: FleetInfra: {line}");
            }

            return 1;
        }
    }

    // `dotnet run`, `aspire run` and `dotnet FleetInfra.AppHost.dll` start the AppHost as the process's entry assembly;
    // DistributedApplicationTestingBuilder calls its entry point from the test host's process instead.
    private bool OwnsProcess => App.AppHostAssembly is { } appHost && Assembly.GetEntryAssembly() == appHost;

    /// <summary>
    /// Everything <see cref="Build"/> does to the model, without building the application: the configuration's names
    /// are checked, then the passes run in order - exclusion, wave edges (and the cycle check), image overrides,
    /// lifetime, the components' configuration checks, required publish parameters, host ports.
    /// </summary>
    internal void Complete()
    {
        // A bad value found while the configuration was read is raised here, so that Run() reports it like any other.
        if (_settingsError is not null)
        {
            throw _settingsError;
        }

        var context = new ModelPassContext(App, Settings, _exclusionLog);
        new ConfigurationNamesCheck().Apply(context);
        // Ports resolve against the declared model: an override of a component the exclusions remove is still checked.
        var hostPorts = new HostPortsPass().Resolve(context);
        IModelPass[] passes = [new ExclusionPass(), new WaveEdgesPass(), new ImageOverridesPass(), new LifetimePass(), new ConfigurationChecksPass(), new PublishParametersPass(), hostPorts];
        foreach (var pass in passes)
        {
            pass.Apply(context);
        }
    }

    internal void LogExclusions(ILogger logger)
    {
        foreach (var line in _exclusionLog)
        {
            logger.LogWarning("{Exclusion}", line);
        }
    }
}

/// <summary>Entry point of the FleetInfra layer.</summary>
public static class FleetInfraBuilderExtensions
{
    /// <summary>
    /// Reads and checks the <c>FleetInfra:*</c> configuration (a bad value fails <see cref="FleetInfraBuilder.Build"/>
    /// with the key and what is allowed, before anything starts),
    /// makes every <c>WaitFor</c> give up when its target fails (Flux semantics) and returns the FleetInfra builder.
    /// </summary>
    public static FleetInfraBuilder AddFleetInfra(this IDistributedApplicationBuilder builder)
    {
        // A bad value is raised by Build() (still before anything starts), so that Run() reports it cleanly.
        FleetInfraSettings settings;
        FleetInfraConfigurationException? error = null;
        try
        {
            settings = FleetInfraSettings.Parse(builder.Configuration);
        }
        catch (FleetInfraConfigurationException e)
        {
            settings = new FleetInfraSettings();
            error = e;
        }

        var fleet = new FleetInfraBuilder(builder, settings, error);
        builder.Services.AddSingleton(fleet);
        SecretFreeDeploymentState.Register(builder); // publish mode: no secret parameter in ~/.aspire/deployments

        // Run mode's default keeps waiting on a failed dependency forever; a wave that failed must release its waiters.
        builder.Services.Configure<ResourceNotificationServiceOptions>(o => o.DefaultWaitBehavior = WaitBehavior.StopOnResourceUnavailable);
        if (builder.ExecutionContext.IsRunMode)
        {
            Lifecycle.StartupReadinessPolling.Apply(builder.Services, builder.Resources);
            // Subscribed before Aspire's own WaitFor handler (the orchestrator subscribes when the app is built).
            builder.Eventing.Subscribe<BeforeResourceStartedEvent>(async (e, ct) =>
            {
                Lifecycle.StartCommandGuard.Apply(e.Resource);
                // A member about to start waits for its image's up-front check, so DCP never pulls it a second time.
                if (fleet.ImageCheck?.Of(e.Resource) is { } image)
                {
                    await image.WaitAsync(ct).ConfigureAwait(false);
                }
            });
        }

        builder.Eventing.Subscribe<BeforeStartEvent>(async (e, ct) =>
        {
            var logger = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FleetInfra");
            fleet.LogExclusions(logger);
            if (builder.ExecutionContext.IsRunMode)
            {
                var stopping = e.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
                var follower = new Lifecycle.ChildResourcesFollowParent(e.Model, e.Services.GetRequiredService<ResourceNotificationService>(),
                    e.Services.GetRequiredService<ILoggerFactory>().CreateLogger<Lifecycle.ChildResourcesFollowParent>());
                _ = Task.Run(() => follower.RunAsync(stopping), CancellationToken.None);
            }

            foreach (var unplaced in UnplacedComponents.Of(e.Model.Resources).Where(_ => builder.ExecutionContext.IsRunMode))
            {
                logger.LogWarning("{Unplaced} It runs here, but no wave waits for it and publishing stops.", UnplacedComponents.Describe(unplaced));
            }
            if (builder.ExecutionContext.IsRunMode && e.Model.Resources.OfType<ContainerResource>().Any())
            {
                await ContainerRuntimeCheck.CheckAsync(e.Model, builder.Configuration, e.Services, logger, fleet.RuntimeProbe, ct).ConfigureAwait(false);
                // Containers are still in the model only when the runtime answers.
                if (e.Model.Resources.OfType<ContainerResource>().Any())
                {
                    // Here rather than in Build(): the model is final (a test host may add resources after Build).
                    Images.ImageCommands.Add(builder, e.Model);
                    fleet.ImageCheck = new Images.ImagePrefetch(ContainerRuntimeCheck.RuntimeName(builder.Configuration),
                        e.Services.GetRequiredService<ResourceNotificationService>(), e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FleetInfra.Images"));
                    fleet.ImageCheck.Start(e.Model, e.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping);
                }
            }
        });
        return fleet;
    }

    /// <summary>Adds a component that exists only in a cluster (see <see cref="ClusterOnlyResource"/>).</summary>
    public static IResourceBuilder<ClusterOnlyResource> AddClusterOnly(this FleetInfraBuilder fleet, string name, string description) =>
        fleet.App.AddClusterOnly(name, description);
}
