using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Components;
using k8s.Models;

namespace FleetInfra.Hosting.Components.Temporal;

/// <summary>Temporal's server, UI and schema job in the cluster; probes mirror the local checks.</summary>
internal static class TemporalClusterProfiles
{
    /// <summary>Local check: gRPC health of the WorkflowService - Kubernetes' gRPC probe asks the same service.</summary>
    public static readonly WorkloadProfile Server = new(Cpu: "250m", Memory: "512Mi", CpuLimit: "1", MemoryLimit: "1Gi", User: 1000, ReadOnlyRoot: false,
        WritablePaths: ["/tmp"],
        Readiness: r => new V1Probe { Grpc = new V1GRPCAction { Port = FluxBuildContext.TargetPort(r, TemporalServerResource.GrpcEndpointName), Service = "temporal.api.workflowservice.v1.WorkflowService" }, PeriodSeconds = 10, TimeoutSeconds = 5, FailureThreshold = 6 },
        Liveness: r => new V1Probe { TcpSocket = new V1TCPSocketAction { Port = FluxBuildContext.TargetPort(r, TemporalServerResource.GrpcEndpointName) }, PeriodSeconds = 20, TimeoutSeconds = 5, FailureThreshold = 6 });

    /// <summary>Local check: GET /.</summary>
    public static readonly WorkloadProfile Ui = new(Cpu: "50m", Memory: "128Mi", CpuLimit: "500m", MemoryLimit: "256Mi", User: 1000, ReadOnlyRoot: false,
        WritablePaths: ["/tmp"],
        Readiness: r => ContainerSpecs.HttpProbe("/", FluxBuildContext.TargetPort(r, TemporalUiResource.HttpEndpointName)),
        Liveness: r => ContainerSpecs.HttpProbe("/", FluxBuildContext.TargetPort(r, TemporalUiResource.HttpEndpointName), period: 20));

    /// <summary>A job: no probes; it is ready when it completed.</summary>
    public static readonly WorkloadProfile Schema = new(Cpu: "100m", Memory: "128Mi", CpuLimit: "500m", MemoryLimit: "256Mi", User: 1000, ReadOnlyRoot: true,
        WritablePaths: ["/tmp"], Readiness: null, Liveness: null);

    /// <summary>A job: the temporal CLI against the frontend; OnFailure restarts retry it until the server answers.</summary>
    public static readonly WorkloadProfile Namespace = new(Cpu: "50m", Memory: "64Mi", CpuLimit: "250m", MemoryLimit: "128Mi", User: 1000, ReadOnlyRoot: true,
        WritablePaths: ["/tmp"], Readiness: null, Liveness: null);
}
