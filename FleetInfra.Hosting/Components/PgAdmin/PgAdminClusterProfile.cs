using System.Text.Json;
using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Workloads;
using k8s.Models;

namespace FleetInfra.Hosting.Components.PgAdmin;

/// <summary>pgAdmin in the cluster: its profile and the servers.json it is pre-loaded with.</summary>
internal static class PgAdminClusterProfile
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <summary>
    /// Probes: see <see cref="PgAdminBuilderExtensions"/>. pgAdmin listens on an unprivileged port (PGADMIN_LISTEN_PORT). NET_BIND_SERVICE stays in
    /// the bounding set only so the image's python, which carries it as a file capability, can be executed at all: with
    /// every capability dropped the kernel refuses the exec (EPERM, pgadmin4 issue #6694); allowPrivilegeEscalation: false
    /// still keeps it from being gained, hence the unprivileged port.
    /// </summary>
    public static readonly ClusterWorkloadProfile Profile = new(Cpu: "100m", Memory: "256Mi", CpuLimit: "500m", MemoryLimit: "512Mi", User: 5050, ReadOnlyRoot: false,
        WritablePaths: ["/var/lib/pgadmin", "/tmp"],
        AddCapabilities: ["NET_BIND_SERVICE"],
        ExtendPod: AddServers);

    /// <summary>
    /// pgAdmin's servers.json for the cluster: each server's cluster service and the user its cluster form creates
    /// (<see cref="ClusterServiceAnnotation"/>; CloudNativePG's read-write service and owner); no password.
    /// </summary>
    private static void AddServers(IResource resource, FluxBuildContext context, V1Container container, V1PodSpec pod)
    {
        var pgAdmin = (PgAdminResource)resource;
        var file = FluxBuildContext.FileOf(pgAdmin);
        var ns = context.NamespaceOf(pgAdmin);
        var servers = pgAdmin.Servers.Select((server, i) => (Key: (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Value: (object)new
        {
            Name = server.Name,
            Group = "fleet-infra",
            Host = context.ServiceHost(server, ns),
            Port = FluxBuildContext.ClusterService(server)?.Port ?? FluxBuildContext.TargetPort(server, server.PrimaryEndpoint.EndpointName),
            MaintenanceDB = "postgres",
            Username = FluxBuildContext.ClusterService(server)?.Credentials?.UserName ?? "postgres",
            SSLMode = "require",
        })).ToDictionary(s => s.Key, s => s.Value);
        var name = $"{pgAdmin.Name}-servers";
        context.Add(pgAdmin, file, new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = context.Meta(pgAdmin, name),
            Data = new Dictionary<string, string> { ["servers.json"] = JsonSerializer.Serialize(new { Servers = servers }, s_json) },
        });
        var path = container.Env.FirstOrDefault(e => e.Name == "PGADMIN_SERVER_JSON_FILE")?.Value ?? "/pgadmin4/fleet-infra/servers.json";
        pod.Volumes.Add(new V1Volume { Name = "servers", ConfigMap = new V1ConfigMapVolumeSource { Name = name } });
        container.VolumeMounts.Add(new V1VolumeMount { Name = "servers", MountPath = Path.GetDirectoryName(path)!.Replace('\\', '/'), ReadOnlyProperty = true });
    }
}
