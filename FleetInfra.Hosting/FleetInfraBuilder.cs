using FleetInfra.Hosting.Components;
using FleetInfra.Hosting.Components.ClusterOnly;
using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Graph;
using FleetInfra.Hosting.Waves;
using System.Reflection;
using Microsoft.Extensions.Configuration;
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
    /// <c>FleetInfra:Waves:&lt;name&gt;:RetryInterval</c> (or <c>FleetInfra:Waves:RetryInterval</c>) turns on automatic retries.
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

    /// <summary>Everything <see cref="Build"/> does to the model, without building the application.</summary>
    internal void Complete()
    {
        // A bad value found while the configuration was read is raised here, so that Run() reports it like any other.
        if (_settingsError is not null)
        {
            throw _settingsError;
        }

        var resources = App.Resources;
        var waves = resources.OfType<WaveResource>().ToList();
        CheckNames("Exclude", Settings.Exclude, FleetComponents.WithChildren(resources).Select(r => r.Name));
        CheckNames("Images", Settings.Images.Keys, resources.OfType<ContainerResource>().Select(r => r.Name));
        CheckNames("Waves", Settings.WaveNames, waves.Select(w => w.Name));
        CheckNames("Ports", Settings.Ports.Select(p => p.Resource).Distinct(StringComparer.OrdinalIgnoreCase), HostPorts.WithEndpoints(resources).Select(r => r.Name));
        var portKeys = HostPorts.Keys(resources);
        var ports = HostPorts.Resolve(resources, Settings.Ports);

        if (App.ExecutionContext.IsRunMode && Settings.Exclude.Count > 0)
        {
            Exclude(Settings.Exclude);
        }

        DeriveWaveEdges(resources.OfType<WaveResource>());

        if (FleetGraph.FindCycle(FleetGraph.Edges(resources)) is { } cycle)
        {
            throw new FleetInfraConfigurationException("model", $"dependency cycle: {string.Join(" -> ", cycle)}. Remove one of these WaitFor edges or move a component to another wave.");
        }

        ApplyImages();
        ApplyLifetime();

        // Like wave timeouts, host ports are a local matter: publishing and the generated documents keep the declared ones.
        if (App.ExecutionContext.IsRunMode)
        {
            HostPorts.Apply(ports);
            CheckHostPorts(portKeys);
        }
    }

    // Before anything starts and without a container runtime: a port that cannot be bound would otherwise leave its
    // component "Running (Unhealthy)" until its wave times out, with nothing naming the port (see HostPorts.FindClashes).
    private void CheckHostPorts(IReadOnlyDictionary<EndpointAnnotation, string> keys)
    {
        var randomize = App.Configuration.GetValue("DcpPublisher:RandomizePorts", false);
        var runtime = ContainerRuntimeCheck.RuntimeName(App.Configuration);
        var clashes = HostPorts.FindClashes(App.Resources, keys, randomize,
            (resource, endpoint) => PersistentContainers.Publishes(runtime, PersistentContainers.NameOf(resource, App.Configuration), endpoint.Port!.Value));
        if (clashes.Count > 0)
        {
            throw new FleetInfraConfigurationException(HostPorts.Key,
                $"{clashes.Count} host port clash(es); the local run cannot start:", clashes);
        }
    }

    private static void CheckNames(string key, IEnumerable<string> given, IEnumerable<string> allowed)
    {
        var known = allowed.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = given.Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new FleetInfraConfigurationException($"{FleetInfraSettings.SectionName}:{key}",
                $"unknown name(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}. Allowed: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
        }
    }

    // Members start only after every wave their own wave depends on is ready (Flux dependsOn).
    private static void DeriveWaveEdges(IEnumerable<WaveResource> waves)
    {
        foreach (var wave in waves)
        {
            foreach (var member in wave.Members.OfType<IResourceWithWaitSupport>())
            {
                foreach (var upstream in wave.DependsOn)
                {
                    if (!member.Annotations.OfType<WaitAnnotation>().Any(w => w.Resource == upstream.Wave))
                    {
                        member.Annotations.Add(new WaitAnnotation(upstream.Wave, WaitType.WaitUntilHealthy) { WaitBehavior = WaitBehavior.StopOnResourceUnavailable });
                    }
                }
            }
        }
    }

    private void Exclude(IReadOnlyList<string> names)
    {
        var resources = App.Resources;
        var excluded = new Dictionary<IResource, string>();
        foreach (var resource in resources.Where(r => names.Contains(r.Name, StringComparer.OrdinalIgnoreCase)))
        {
            excluded[resource] = "FleetInfra:Exclude";
        }

        // A component that cannot work without an excluded one (it is its child, uses its address or
        // credentials, or waits for it to complete) goes too; a plain WaitFor edge is only dropped.
        bool changed;
        do
        {
            changed = false;
            foreach (var resource in resources.Where(r => !excluded.ContainsKey(r)))
            {
                var reason =
                    resource is IResourceWithParent { Parent: var parent } && excluded.ContainsKey(parent) ? $"its parent '{parent.Name}' is excluded"
                    : resource.Annotations.OfType<ResourceRelationshipAnnotation>().FirstOrDefault(a => a.Type == "Reference" && excluded.ContainsKey(a.Resource)) is { } reference ? $"it uses '{reference.Resource.Name}'"
                    : resource.Annotations.OfType<WaitAnnotation>().FirstOrDefault(a => a.WaitType == WaitType.WaitForCompletion && excluded.ContainsKey(a.Resource)) is { } completion ? $"it needs '{completion.Resource.Name}' to complete first"
                    : null;
                if (reason is not null)
                {
                    excluded[resource] = reason;
                    changed = true;
                }
            }
        }
        while (changed);

        foreach (var (resource, reason) in excluded.OrderBy(e => e.Key.Name, StringComparer.Ordinal))
        {
            resources.Remove(resource);
            resource.GetWave()?.RemoveMember(resource);
            _exclusionLog.Add($"'{resource.Name}' left out of the local run: {reason}.");
        }

        foreach (var resource in resources)
        {
            var purposes = resource.Annotations.OfType<DependencyPurposeAnnotation>().ToList();
            foreach (var annotation in resource.Annotations.ToList())
            {
                var target = annotation switch
                {
                    WaitAnnotation w => w.Resource,
                    ResourceRelationshipAnnotation r => r.Resource,
                    DependencyPurposeAnnotation p => p.Target,
                    _ => null,
                };
                if (target is null || !excluded.ContainsKey(target))
                {
                    continue;
                }

                if (annotation is WaitAnnotation)
                {
                    var purpose = purposes.FirstOrDefault(p => p.Target == target)?.Purpose;
                    _exclusionLog.Add($"'{resource.Name}' no longer waits for '{target.Name}' and runs without it{(purpose is null ? "" : $" (no {purpose})")}.");
                }

                resource.Annotations.Remove(annotation);
            }
        }

        foreach (var wave in resources.OfType<WaveResource>().Where(w => w.Members.Count == 0))
        {
            _exclusionLog.Add($"wave '{wave.Name}' has no member left and is satisfied as soon as its upstream waves are.");
        }
    }

    private void ApplyImages()
    {
        foreach (var container in App.Resources.OfType<ContainerResource>())
        {
            if (!container.TryGetLastAnnotation<ContainerImageAnnotation>(out var image))
            {
                continue;
            }

            if (Settings.Images.TryGetValue(container.Name, out var reference))
            {
                image.Registry = reference.Registry ?? Settings.Registry ?? image.Registry;
                image.Image = reference.Image;
                // Aspire keeps either a tag or a digest: setting one clears the other.
                if (reference.Sha256 is not null)
                {
                    image.SHA256 = reference.Sha256;
                }
                else
                {
                    image.Tag = reference.Tag ?? "latest";
                }
            }
            else if (Settings.Registry is not null)
            {
                image.Registry = Settings.Registry;
            }
        }
    }

    private void ApplyLifetime()
    {
        if (Settings.Lifetime != FleetLifetime.Persistent)
        {
            return;
        }

        foreach (var container in App.Resources.OfType<ContainerResource>().Where(r => r.HasAnnotationOfType<DataLayerAnnotation>() || r.HasAnnotationOfType<KeepBetweenRunsAnnotation>()))
        {
            container.Annotations.Add(new ContainerLifetimeAnnotation { Lifetime = ContainerLifetime.Persistent });
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

        // Run mode's default keeps waiting on a failed dependency forever; a wave that failed must release its waiters.
        builder.Services.Configure<ResourceNotificationServiceOptions>(o => o.DefaultWaitBehavior = WaitBehavior.StopOnResourceUnavailable);
        if (builder.ExecutionContext.IsRunMode)
        {
            builder.Services.AddHostedService<Lifecycle.ChildResourcesFollowParent>();
            Lifecycle.StartupReadinessPolling.Apply(builder.Services, builder.Resources);
        }

        builder.Eventing.Subscribe<BeforeStartEvent>(async (e, ct) =>
        {
            var logger = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FleetInfra");
            fleet.LogExclusions(logger);
            foreach (var unplaced in UnplacedComponents.Of(e.Model.Resources).Where(_ => builder.ExecutionContext.IsRunMode))
            {
                logger.LogWarning("{Unplaced} It runs here, but no wave waits for it and publishing stops.", UnplacedComponents.Describe(unplaced));
            }
            if (builder.ExecutionContext.IsRunMode && e.Model.Resources.OfType<ContainerResource>().Any())
            {
                await ContainerRuntimeCheck.CheckAsync(e.Model, builder.Configuration, e.Services, logger, fleet.RuntimeProbe, ct).ConfigureAwait(false);
            }
        });
        return fleet;
    }

    /// <summary>Adds a component that exists only in a cluster (see <see cref="ClusterOnlyResource"/>).</summary>
    public static IResourceBuilder<ClusterOnlyResource> AddClusterOnly(this FleetInfraBuilder fleet, string name, string description) =>
        fleet.App.AddClusterOnly(name, description);
}
