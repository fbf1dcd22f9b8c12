using FleetInfra.Hosting.Publishing.Workloads;

namespace FleetInfra.Hosting.Components.RedisInsight;

/// <summary>RedisInsight in the cluster: size, user and writable paths (probes: <see cref="RedisInsightBuilderExtensions"/>).</summary>
internal static class RedisInsightClusterProfile
{
    public static readonly ClusterWorkloadProfile Profile = new(Cpu: "100m", Memory: "256Mi", CpuLimit: "500m", MemoryLimit: "512Mi", User: 1000, ReadOnlyRoot: false,
        WritablePaths: ["/data", "/tmp"]);
}
