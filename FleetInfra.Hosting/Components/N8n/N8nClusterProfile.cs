using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Components;

namespace FleetInfra.Hosting.Components.N8n;

/// <summary>n8n in the cluster; its probes mirror the local check (GET /healthz/readiness).</summary>
internal static class N8nClusterProfile
{
    public static readonly WorkloadProfile Profile = new(Cpu: "250m", Memory: "512Mi", CpuLimit: "1", MemoryLimit: "1Gi", User: 1000, ReadOnlyRoot: false,
        WritablePaths: ["/home/node/.n8n", "/tmp"],
        Readiness: r => ContainerSpecs.HttpProbe("/healthz/readiness", FluxBuildContext.TargetPort(r, N8nResource.HttpEndpointName)),
        Liveness: r => ContainerSpecs.HttpProbe("/healthz", FluxBuildContext.TargetPort(r, N8nResource.HttpEndpointName), period: 20));
}
