namespace FleetInfra.Hosting.Waves;

/// <summary>
/// A deployment wave: a dashboard parent for its members that turns Running (healthy) once every member
/// is ready, and FailedToStart, naming the late members, when that takes longer than <see cref="Timeout"/>.
/// This mirrors a Flux Kustomization with <c>wait: true</c>, <c>timeout</c> and <c>retryInterval</c>; in a cluster
/// it becomes one. Locally it can be reconciled, suspended and resumed from the dashboard (see <see cref="WaveCommands"/>).
/// </summary>
public sealed class WaveResource(string name, TimeSpan timeout) : Resource(name), IResourceWithWaitSupport
{
    /// <summary>Snapshot property: the wave's timeout, as Flux writes it.</summary>
    public const string TimeoutProperty = "fleetinfra.wave.timeout";

    /// <summary>Snapshot property: seconds from reconciling to ready.</summary>
    public const string ReadyAfterProperty = "fleetinfra.wave.readyAfter";

    /// <summary>Snapshot property: why the wave failed.</summary>
    public const string FailureProperty = "fleetinfra.wave.failure";

    /// <summary>Snapshot property: the members that were not ready when the wave failed.</summary>
    public const string NotReadyProperty = "fleetinfra.wave.notReady";

    /// <summary>Snapshot property: the members that are not ready while the wave is degraded.</summary>
    public const string DegradedProperty = "fleetinfra.wave.degraded";

    /// <summary>Snapshot property: the automatic retry interval of a failed wave, when one is set.</summary>
    public const string RetryIntervalProperty = "fleetinfra.wave.retryInterval";

    /// <summary>Snapshot property: how many times the wave was reconciled again after its first run.</summary>
    public const string ReconcilesProperty = "fleetinfra.wave.reconciles";

    private readonly List<IResource> _members = [];
    private readonly List<WaveDependency> _dependsOn = [];

    /// <summary>How long the wave may take, once its upstream waves are ready, before it fails.</summary>
    public TimeSpan Timeout { get; internal set; } = timeout;

    /// <summary>
    /// After a failure, reconcile again after this interval (Flux <c>retryInterval</c>); null: only on request.
    /// Local only, from <c>FleetInfra:Waves:&lt;wave&gt;:RetryInterval</c> or <c>FleetInfra:Waves:RetryInterval</c>.
    /// </summary>
    public TimeSpan? RetryInterval { get; internal set; }

    /// <summary>
    /// While Degraded for this long, the wave reconciles by itself (Flux <c>interval</c>: a Kustomization is re-applied every
    /// interval, which repairs drift); null: only on request. Local only, from <c>FleetInfra:Waves:&lt;wave&gt;:Interval</c> or
    /// <c>FleetInfra:Waves:Interval</c>, default <see cref="Configuration.FleetInfraSettings.DefaultWaveInterval"/>.
    /// </summary>
    public TimeSpan? Interval { get; internal set; }

    /// <summary>The timeout the model was declared with, before any configuration override.</summary>
    public TimeSpan DeclaredTimeout { get; } = timeout;

    /// <summary>The components deployed by this wave, in declaration order.</summary>
    public IReadOnlyList<IResource> Members => _members;

    /// <summary>The waves that must be ready before this wave starts (Flux <c>dependsOn</c>).</summary>
    public IReadOnlyList<WaveDependency> DependsOn => _dependsOn;

    internal void AddMember(IResource member)
    {
        if (!_members.Contains(member))
        {
            _members.Add(member);
        }
    }

    internal bool RemoveMember(IResource member) => _members.Remove(member);

    internal void AddDependency(WaveDependency dependency)
    {
        if (_dependsOn.All(d => d.Wave != dependency.Wave))
        {
            _dependsOn.Add(dependency);
        }
    }
}

/// <summary>An edge between waves; <paramref name="Deviation"/> explains an edge the seed document does not have.</summary>
/// <param name="Wave">The upstream wave.</param>
/// <param name="Deviation">Why the model adds this edge although the seed's table lacks it; <c>null</c> for seed edges.</param>
public sealed record WaveDependency(WaveResource Wave, string? Deviation = null);

/// <summary>Marks the wave a component belongs to.</summary>
public sealed class WaveMembershipAnnotation(WaveResource wave) : IResourceAnnotation
{
    /// <summary>The wave.</summary>
    public WaveResource Wave { get; } = wave;
}

/// <summary>Marks a component that runs to completion (a job); it is ready when it exits with code 0.</summary>
public sealed class RunsToCompletionAnnotation : IResourceAnnotation;
