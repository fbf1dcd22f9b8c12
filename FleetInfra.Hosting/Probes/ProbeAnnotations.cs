using System.Diagnostics.CodeAnalysis;

namespace FleetInfra.Hosting.Probes;

// Aspire's ProbeAnnotation has an HTTP form only (EndpointProbeAnnotation); these are the kinds Kubernetes has besides it.
// They carry the same timing fields, so one declaration drives the local check (where one can run here) and the cluster
// probe, as EndpointProbeAnnotation does.

/// <summary>A probe of a kind Aspire has no annotation for, with its type and timing.</summary>
public abstract class FleetProbeAnnotation : ProbeAnnotation
{
    /// <summary>Sets the probe's type and timing (one success after failures counts).</summary>
    [SetsRequiredMembers]
    protected FleetProbeAnnotation(ProbeType type, int periodSeconds, int timeoutSeconds, int failureThreshold)
    {
        Type = type;
        PeriodSeconds = periodSeconds;
        TimeoutSeconds = timeoutSeconds;
        FailureThreshold = failureThreshold;
        SuccessThreshold = 1;
    }
}

/// <summary>A gRPC health probe (<c>grpc.health.v1.Health/Check</c>) on an endpoint of the resource.</summary>
[method: SetsRequiredMembers]
public sealed class GrpcProbeAnnotation(ProbeType type, EndpointReference endpoint, string? service, int periodSeconds, int timeoutSeconds, int failureThreshold)
    : FleetProbeAnnotation(type, periodSeconds, timeoutSeconds, failureThreshold)
{
    /// <summary>The endpoint the gRPC server listens on.</summary>
    public EndpointReference EndpointReference { get; } = endpoint;

    /// <summary>The service whose status is asked for; null asks for the server's overall health.</summary>
    public string? Service { get; } = service;
}

/// <summary>A TCP probe: the endpoint accepts a connection.</summary>
[method: SetsRequiredMembers]
public sealed class TcpProbeAnnotation(ProbeType type, EndpointReference endpoint, int periodSeconds, int timeoutSeconds, int failureThreshold)
    : FleetProbeAnnotation(type, periodSeconds, timeoutSeconds, failureThreshold)
{
    /// <summary>The endpoint that must accept connections.</summary>
    public EndpointReference EndpointReference { get; } = endpoint;
}

/// <summary>
/// A probe that runs a shell command inside the container; exit code 0 is healthy. Aspire cannot run commands in a
/// container as a health check, so only the cluster runs it: the component's local health check stands for it (its
/// builder says which).
/// </summary>
[method: SetsRequiredMembers]
public sealed class ExecProbeAnnotation(ProbeType type, string script, int periodSeconds, int timeoutSeconds, int failureThreshold)
    : FleetProbeAnnotation(type, periodSeconds, timeoutSeconds, failureThreshold)
{
    /// <summary>The command, run with <c>sh -c</c>.</summary>
    public string Script { get; } = script;
}
