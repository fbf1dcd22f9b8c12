namespace FleetInfra.Hosting.Probes;

// Aspire's ProbeAnnotation has an HTTP form only (EndpointProbeAnnotation); these are the kinds Kubernetes has besides it.
// They carry the same timing fields, so one declaration drives the local check (where one can run here) and the cluster
// probe, as EndpointProbeAnnotation does.

/// <summary>A gRPC health probe (<c>grpc.health.v1.Health/Check</c>) on an endpoint of the resource.</summary>
public sealed class GrpcProbeAnnotation : ProbeAnnotation
{
    /// <summary>The endpoint the gRPC server listens on.</summary>
    public required EndpointReference EndpointReference { get; init; }

    /// <summary>The service whose status is asked for; null asks for the server's overall health.</summary>
    public string? Service { get; init; }
}

/// <summary>A TCP probe: the endpoint accepts a connection.</summary>
public sealed class TcpProbeAnnotation : ProbeAnnotation
{
    /// <summary>The endpoint that must accept connections.</summary>
    public required EndpointReference EndpointReference { get; init; }
}

/// <summary>
/// A probe that runs a shell command inside the container; exit code 0 is healthy. Aspire cannot run commands in a
/// container as a health check, so only the cluster runs it: the component's local health check stands for it (its
/// builder says which).
/// </summary>
public sealed class ExecProbeAnnotation : ProbeAnnotation
{
    /// <summary>The command, run with <c>sh -c</c>.</summary>
    public required string Script { get; init; }
}
