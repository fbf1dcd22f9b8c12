using FleetInfra.Hosting.Publishing.Workloads;

namespace FleetInfra.Hosting.Components.N8n;

/// <summary>n8n in the cluster: size, user and writable paths (its probes are declared in <see cref="N8nBuilderExtensions"/>).</summary>
internal static class N8nClusterProfile
{
    public static readonly ClusterWorkloadProfile Profile = new(Cpu: "250m", Memory: "512Mi", CpuLimit: "1", MemoryLimit: "1Gi", User: 1000, ReadOnlyRoot: false,
        WritablePaths: ["/home/node/.n8n", "/tmp"]);
}
