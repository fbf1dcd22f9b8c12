using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Components;

namespace FleetInfra.Hosting.Components.RedisInsight;

/// <summary>RedisInsight in the cluster; its probes mirror the local check (GET /api/health).</summary>
internal static class RedisInsightClusterProfile
{
    public static readonly WorkloadProfile Profile = new(Cpu: "100m", Memory: "256Mi", CpuLimit: "500m", MemoryLimit: "512Mi", User: 1000, ReadOnlyRoot: false,
        WritablePaths: ["/data", "/tmp"],
        Readiness: r => ContainerSpecs.HttpProbe("/api/health", FluxBuildContext.TargetPort(r, RedisInsightResource.HttpEndpointName)),
        Liveness: r => ContainerSpecs.HttpProbe("/api/health", FluxBuildContext.TargetPort(r, RedisInsightResource.HttpEndpointName), period: 20));
}
