using FleetInfra.Hosting.Publishing.Workloads;

namespace FleetInfra.Hosting.Components.Temporal;

/// <summary>Temporal's server, UI and jobs in the cluster: size, user, writable paths (probes: <see cref="TemporalBuilderExtensions"/>).</summary>
internal static class TemporalClusterProfiles
{
    /// <summary>The server (frontend, history, matching, worker in one process).</summary>
    public static readonly ClusterWorkloadProfile Server = new(Cpu: "250m", Memory: "512Mi", CpuLimit: "1", MemoryLimit: "1Gi", User: 1000, ReadOnlyRoot: false,
        WritablePaths: ["/tmp"]);

    /// <summary>The web UI.</summary>
    public static readonly ClusterWorkloadProfile Ui = new(Cpu: "50m", Memory: "128Mi", CpuLimit: "500m", MemoryLimit: "256Mi", User: 1000, ReadOnlyRoot: false,
        WritablePaths: ["/tmp"]);

    /// <summary>A job: no probes; it is ready when it completed.</summary>
    public static readonly ClusterWorkloadProfile Schema = new(Cpu: "100m", Memory: "128Mi", CpuLimit: "500m", MemoryLimit: "256Mi", User: 1000, ReadOnlyRoot: true,
        WritablePaths: ["/tmp"]);

    /// <summary>A job: the temporal CLI against the frontend; OnFailure restarts retry it until the server answers.</summary>
    public static readonly ClusterWorkloadProfile Namespace = new(Cpu: "50m", Memory: "64Mi", CpuLimit: "250m", MemoryLimit: "128Mi", User: 1000, ReadOnlyRoot: true,
        WritablePaths: ["/tmp"]);
}
