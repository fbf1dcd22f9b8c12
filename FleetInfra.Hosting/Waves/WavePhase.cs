namespace FleetInfra.Hosting.Waves;

/// <summary>Where a wave is in its life, as <see cref="WaveController"/> drives it.</summary>
public enum WavePhase
{
    /// <summary>Waiting for its upstream waves.</summary>
    Waiting,

    /// <summary>Its members are starting; the timeout runs.</summary>
    Reconciling,

    /// <summary>Every member is ready.</summary>
    Ready,

    /// <summary>Was ready; a member stopped or turned unhealthy since.</summary>
    Degraded,

    /// <summary>A member failed, the timeout passed, or an upstream wave failed.</summary>
    Failed,

    /// <summary>Suspended: starts nothing new, does not time out.</summary>
    Suspended,
}
