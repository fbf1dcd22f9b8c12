using FleetInfra.Hosting.Probes;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing.Workloads;

/// <summary>The cluster form of the probes a component declares (<see cref="ProbeAnnotation"/>s, see <see cref="ProbeBuilderExtensions"/>).</summary>
internal static class ProbeSpecs
{
    /// <summary>The Kubernetes probe of <paramref name="type"/> the resource declares, or null.</summary>
    public static V1Probe? Of(IResource resource, ProbeType type) => resource.Probe(type) switch
    {
        null => null,
        EndpointProbeAnnotation http => Timed(new V1Probe { HttpGet = new V1HTTPGetAction { Path = http.Path, Port = PortOf(resource, http.EndpointReference) } }, http),
        GrpcProbeAnnotation grpc => Timed(new V1Probe { Grpc = new V1GRPCAction { Port = PortOf(resource, grpc.EndpointReference), Service = grpc.Service } }, grpc),
        TcpProbeAnnotation tcp => Timed(new V1Probe { TcpSocket = new V1TCPSocketAction { Port = PortOf(resource, tcp.EndpointReference) } }, tcp),
        ExecProbeAnnotation exec => Timed(new V1Probe { Exec = new V1ExecAction { Command = ["sh", "-c", exec.Script] } }, exec),
        var other => throw new FluxPublishException(
            $"'{resource.Name}' declares a {other.Type} probe of kind {other.GetType().Name}, which has no cluster form. Fix: declare it as an HTTP, gRPC, TCP or exec probe."),
    };

    /// <summary>True when the resource declares a probe of any type.</summary>
    public static bool Declared(IResource resource) => resource.Annotations.OfType<ProbeAnnotation>().Any();

    private static int PortOf(IResource resource, EndpointReference endpoint) => FluxBuildContext.TargetPort(resource, endpoint.EndpointName);

    // Period, timeout and failures are always written (readers see the timing); a zero delay and a success threshold
    // of 1 are Kubernetes' defaults and left out.
    private static V1Probe Timed(V1Probe probe, ProbeAnnotation timing)
    {
        probe.PeriodSeconds = timing.PeriodSeconds;
        probe.TimeoutSeconds = timing.TimeoutSeconds;
        probe.FailureThreshold = timing.FailureThreshold;
        probe.InitialDelaySeconds = timing.InitialDelaySeconds > 0 ? timing.InitialDelaySeconds : null;
        probe.SuccessThreshold = timing.SuccessThreshold > 1 ? timing.SuccessThreshold : null;
        return probe;
    }
}
