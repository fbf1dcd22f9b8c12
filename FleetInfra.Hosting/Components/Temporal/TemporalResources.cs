namespace FleetInfra.Hosting.Components.Temporal;

/// <summary>The one-shot job that creates or migrates Temporal's schemas with <c>temporal-sql-tool</c>.</summary>
public sealed class TemporalSchemaResource(string name) : ContainerResource(name);

/// <summary>The one-shot job that registers a Temporal namespace (the server image creates none, unlike auto-setup).</summary>
public sealed class TemporalNamespaceResource(string name, string ns) : ContainerResource(name)
{
    /// <summary>The namespace the job registers.</summary>
    public string Namespace { get; } = ns;
}

/// <summary>The Temporal server (frontend, history, matching, worker in one process).</summary>
public sealed class TemporalServerResource(string name) : ContainerResource(name)
{
    /// <summary>The gRPC frontend endpoint.</summary>
    public const string GrpcEndpointName = "grpc";

    /// <summary>The Prometheus metrics endpoint.</summary>
    public const string MetricsEndpointName = "metrics";

    internal const int GrpcTargetPort = 7233;
    internal const int MetricsTargetPort = 9464;

    private EndpointReference? _grpc;

    /// <summary>The gRPC frontend endpoint.</summary>
    public EndpointReference GrpcEndpoint => _grpc ??= new(this, GrpcEndpointName);
}

/// <summary>The Temporal web UI.</summary>
public sealed class TemporalUiResource(string name) : ContainerResource(name)
{
    /// <summary>The HTTP endpoint.</summary>
    public const string HttpEndpointName = "http";

    internal const int HttpTargetPort = 8080;
}
