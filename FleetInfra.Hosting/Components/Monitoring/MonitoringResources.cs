namespace FleetInfra.Hosting.Components.Monitoring;

/// <summary>Prometheus: scrapes every resource that declares <see cref="PrometheusScrapeAnnotation"/>.</summary>
public sealed class PrometheusResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    /// <summary>The HTTP endpoint (UI, API, readiness).</summary>
    public const string HttpEndpointName = "http";

    internal const int HttpTargetPort = 9090;

    private EndpointReference? _http;

    /// <summary>The HTTP endpoint.</summary>
    public EndpointReference HttpEndpoint => _http ??= new(this, HttpEndpointName);

    /// <summary>The base URL of the Prometheus API.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{HttpEndpoint.Property(EndpointProperty.Url)}");
}

/// <summary>Grafana with Prometheus provisioned as its default data source.</summary>
public sealed class GrafanaResource(string name, ParameterResource adminPassword) : ContainerResource(name)
{
    /// <summary>The HTTP endpoint.</summary>
    public const string HttpEndpointName = "http";

    internal const int HttpTargetPort = 3000;

    /// <summary>The admin password (a secret parameter).</summary>
    public ParameterResource AdminPassword { get; } = adminPassword;
}
