using FleetInfra.Hosting.Probes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
// Builder extensions live in FleetInfra.Hosting (like Aspire's in Aspire.Hosting): one using reaches every component's API.
namespace FleetInfra.Hosting;

/// <summary>
/// Declares a component's readiness and liveness once: the cluster probes are published from these annotations, and a
/// readiness probe that can run here is also the local health check the waves wait for.
/// </summary>
/// <remarks>
/// FleetInfra's timing, the same for every component: readiness every 10 s, liveness every 20 s, 5 s timeout, 6 failures
/// in a row (a minute of readiness failures, two of liveness, before Kubernetes acts), no initial delay.
/// </remarks>
public static class ProbeBuilderExtensions
{
    private const int ReadinessPeriod = 10;
    private const int LivenessPeriod = 20;
    private const int Timeout = 5;
    private const int Failures = 6;

    /// <summary>
    /// HTTP readiness on <paramref name="path"/>: Aspire's <c>WithHttpProbe</c>, which also registers the local HTTP
    /// health check on the same endpoint and path.
    /// </summary>
    public static IResourceBuilder<T> WithHttpReadinessProbe<T>(this IResourceBuilder<T> builder, string path, string endpointName)
        where T : IResourceWithEndpoints, IResourceWithProbes =>
        builder.WithHttpProbe(ProbeType.Readiness, path, initialDelaySeconds: 0, periodSeconds: ReadinessPeriod, timeoutSeconds: Timeout,
            failureThreshold: Failures, successThreshold: 1, endpointName: endpointName);

    /// <summary>
    /// HTTP liveness on <paramref name="path"/>. By default for the cluster only: the readiness probe is the local
    /// check, and a second local check on the same path would collide with it (Aspire keys HTTP checks by endpoint and
    /// path); <paramref name="localCheck"/> also registers it locally when readiness is a probe that cannot run here.
    /// </summary>
    public static IResourceBuilder<T> WithHttpLivenessProbe<T>(this IResourceBuilder<T> builder, string path, string endpointName, bool localCheck = false)
        where T : IResourceWithEndpoints, IResourceWithProbes
    {
        var withProbe = builder.WithProbe(new EndpointProbeAnnotation
        {
            Type = ProbeType.Liveness,
            EndpointReference = builder.Resource.GetEndpoint(endpointName),
            Path = path,
            PeriodSeconds = LivenessPeriod,
            TimeoutSeconds = Timeout,
            FailureThreshold = Failures,
            SuccessThreshold = 1,
        });
        return localCheck ? withProbe.WithHttpHealthCheck(path, endpointName: endpointName) : withProbe;
    }

    /// <summary>
    /// gRPC readiness of <paramref name="service"/> on an endpoint; also the local health check
    /// (<c>&lt;resource&gt;_&lt;endpoint&gt;</c>), which asks the same service.
    /// </summary>
    public static IResourceBuilder<T> WithGrpcReadinessProbe<T>(this IResourceBuilder<T> builder, string endpointName, string? service)
        where T : IResourceWithEndpoints, IResourceWithProbes
    {
        var probe = new GrpcProbeAnnotation(ProbeType.Readiness, builder.Resource.GetEndpoint(endpointName), service, ReadinessPeriod, Timeout, Failures);
        var key = $"{builder.Resource.Name}_{endpointName}";
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(key, _ => new GrpcHealthCheck(probe), failureStatus: null, tags: null));
        return builder.WithProbe(probe).WithHealthCheck(key);
    }

    /// <summary>TCP liveness on an endpoint (cluster only: the readiness probe is the local check).</summary>
    public static IResourceBuilder<T> WithTcpLivenessProbe<T>(this IResourceBuilder<T> builder, string endpointName)
        where T : IResourceWithEndpoints, IResourceWithProbes =>
        builder.WithProbe(new TcpProbeAnnotation(ProbeType.Liveness, builder.Resource.GetEndpoint(endpointName), LivenessPeriod, Timeout, Failures));

    /// <summary>
    /// A probe that runs <paramref name="script"/> in the container (cluster only; see <see cref="ExecProbeAnnotation"/>
    /// for the local side).
    /// </summary>
    public static IResourceBuilder<T> WithExecProbe<T>(this IResourceBuilder<T> builder, ProbeType type, string script)
        where T : IResourceWithProbes =>
        builder.WithProbe(new ExecProbeAnnotation(type, script, type == ProbeType.Liveness ? LivenessPeriod : ReadinessPeriod, Timeout, Failures));

    /// <summary>The probe of <paramref name="type"/> the resource declares, if any (the last one wins, as in Aspire).</summary>
    public static ProbeAnnotation? Probe(this IResource resource, ProbeType type) =>
        resource.Annotations.OfType<ProbeAnnotation>().LastOrDefault(p => p.Type == type);

    // One probe per type, as Aspire's own WithProbe (private there): a later declaration replaces the earlier one.
    private static IResourceBuilder<T> WithProbe<T>(this IResourceBuilder<T> builder, ProbeAnnotation probe) where T : IResourceWithProbes
    {
        if (builder.Resource.Probe(probe.Type) is { } existing)
        {
            builder.Resource.Annotations.Remove(existing);
        }

        return builder.WithAnnotation(probe);
    }
}
