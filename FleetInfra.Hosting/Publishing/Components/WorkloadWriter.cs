using System.Text.Json;
using FleetInfra.Hosting.Components.N8n;
using FleetInfra.Hosting.Components.PgAdmin;
using FleetInfra.Hosting.Components.RedisInsight;
using FleetInfra.Hosting.Components.Temporal;
using FleetInfra.Hosting.Waves;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing.Components;

/// <summary>How one kind of container runs in the cluster: size, user, probes (the same checks as locally), writable paths.</summary>
internal sealed record WorkloadProfile(
    string Cpu,
    string Memory,
    string CpuLimit,
    string MemoryLimit,
    long User,
    bool ReadOnlyRoot,
    IReadOnlyList<string> WritablePaths,
    Func<IResource, V1Probe>? Readiness,
    Func<IResource, V1Probe>? Liveness,
    IReadOnlyList<string>? AddCapabilities = null);

/// <summary>Deployments (or a Job for run-to-completion components), Services and routes for the application containers.</summary>
internal static class WorkloadWriter
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <summary>Profiles per component kind; probes mirror the local health checks of each component.</summary>
    public static WorkloadProfile ProfileOf(IResource resource) => resource switch
    {
        // Local check: GET /healthz/readiness.
        N8nResource => new("250m", "512Mi", "1", "1Gi", 1000, false, ["/home/node/.n8n", "/tmp"],
            r => ContainerSpecs.HttpProbe("/healthz/readiness", Port(r, N8nResource.HttpEndpointName)),
            r => ContainerSpecs.HttpProbe("/healthz", Port(r, N8nResource.HttpEndpointName), period: 20)),
        // Local check: gRPC health of the WorkflowService - Kubernetes' gRPC probe asks the same service.
        TemporalServerResource => new("250m", "512Mi", "1", "1Gi", 1000, false, ["/tmp"],
            r => new V1Probe { Grpc = new V1GRPCAction { Port = Port(r, TemporalServerResource.GrpcEndpointName), Service = "temporal.api.workflowservice.v1.WorkflowService" }, PeriodSeconds = 10, TimeoutSeconds = 5, FailureThreshold = 6 },
            r => new V1Probe { TcpSocket = new V1TCPSocketAction { Port = Port(r, TemporalServerResource.GrpcEndpointName) }, PeriodSeconds = 20, TimeoutSeconds = 5, FailureThreshold = 6 }),
        // Local check: GET /.
        TemporalUiResource => new("50m", "128Mi", "500m", "256Mi", 1000, false, ["/tmp"],
            r => ContainerSpecs.HttpProbe("/", Port(r, TemporalUiResource.HttpEndpointName)),
            r => ContainerSpecs.HttpProbe("/", Port(r, TemporalUiResource.HttpEndpointName), period: 20)),
        // A job: no probes; it is ready when it completed.
        TemporalSchemaResource => new("100m", "128Mi", "500m", "256Mi", 1000, true, ["/tmp"], null, null),
        // Local check: GET /misc/ping. pgAdmin listens on an unprivileged port (PGADMIN_LISTEN_PORT): no capability needed.
        PgAdminResource => new("100m", "256Mi", "500m", "512Mi", 5050, false, ["/var/lib/pgadmin", "/tmp"],
            r => ContainerSpecs.HttpProbe("/misc/ping", Port(r, PgAdminResource.HttpEndpointName)),
            r => ContainerSpecs.HttpProbe("/misc/ping", Port(r, PgAdminResource.HttpEndpointName), period: 20)),
        // Local check: GET /api/health.
        RedisInsightResource => new("100m", "256Mi", "500m", "512Mi", 1000, false, ["/data", "/tmp"],
            r => ContainerSpecs.HttpProbe("/api/health", Port(r, RedisInsightResource.HttpEndpointName)),
            r => ContainerSpecs.HttpProbe("/api/health", Port(r, RedisInsightResource.HttpEndpointName), period: 20)),
        // Unknown components: a TCP probe on their first endpoint.
        _ => new("100m", "128Mi", "500m", "512Mi", 1000, false, ["/tmp"],
            r => new V1Probe { TcpSocket = new V1TCPSocketAction { Port = ContainerSpecs.Ports(r).First().ContainerPort }, PeriodSeconds = 10 },
            r => new V1Probe { TcpSocket = new V1TCPSocketAction { Port = ContainerSpecs.Ports(r).First().ContainerPort }, PeriodSeconds = 20 }),
    };

    private static int Port(IResource resource, string endpoint) => FluxBuildContext.TargetPort(resource, endpoint);

    public static async Task WriteAsync(ContainerResource resource, FluxBuildContext context)
    {
        var profile = ProfileOf(resource);
        var file = FluxBuildContext.FileOf(resource);
        var volumes = profile.WritablePaths.Select((p, i) => (Name: $"writable-{i}", Path: p)).ToList();
        var container = new V1Container
        {
            Name = resource.Name,
            Image = FluxBuildContext.ImageOf(resource),
            ImagePullPolicy = "IfNotPresent",
            Command = resource.Entrypoint is { } entrypoint ? [entrypoint] : null,
            Args = await ContainerSpecs.ArgumentsAsync(context, resource).ConfigureAwait(false) is { Count: > 0 } args ? args : null,
            Env = await ContainerSpecs.EnvironmentAsync(context, resource).ConfigureAwait(false),
            Ports = ContainerSpecs.Ports(resource) is { Count: > 0 } ports ? ports : null,
            Resources = ContainerSpecs.Resources(profile.Cpu, profile.Memory, profile.CpuLimit, profile.MemoryLimit),
            ReadinessProbe = profile.Readiness?.Invoke(resource),
            LivenessProbe = profile.Liveness?.Invoke(resource),
            SecurityContext = ContainerSpecs.Restricted(profile.User, profile.ReadOnlyRoot, [.. profile.AddCapabilities ?? []]),
            VolumeMounts = volumes.Select(v => new V1VolumeMount { Name = v.Name, MountPath = v.Path }).ToList(),
        };
        var pod = new V1PodSpec
        {
            ServiceAccountName = resource.Name,
            AutomountServiceAccountToken = false,
            SecurityContext = ContainerSpecs.PodSecurity(profile.User),
            Containers = [container],
            Volumes = volumes.Select(v => new V1Volume { Name = v.Name, EmptyDir = new V1EmptyDirVolumeSource() }).ToList(),
        };

        if (resource is PgAdminResource pgAdmin)
        {
            AddPgAdminServers(pgAdmin, context, container, pod, file);
        }

        var template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = context.Labels(resource) }, Spec = pod };
        if (resource.HasAnnotationOfType<RunsToCompletionAnnotation>())
        {
            pod.RestartPolicy = "OnFailure";
            context.Add(resource, file, new V1Job
            {
                ApiVersion = "batch/v1",
                Kind = "Job",
                Metadata = WithAnnotations(context.Meta(resource, resource.Name), new()
                {
                    // A Job's template is immutable: let Flux recreate it when the image or script changes.
                    ["kustomize.toolkit.fluxcd.io/force"] = "Enabled",
                }),
                Spec = new V1JobSpec { BackoffLimit = 10, Template = template },
            });
            return;
        }

        context.Add(resource, file, new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = context.Meta(resource, resource.Name),
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = FluxBuildContext.SelectorLabels(resource) },
                Template = template,
            },
        });
        if (container.Ports is { Count: > 0 })
        {
            context.Add(resource, file, ContainerSpecs.Service(context, resource));
        }
    }

    private static V1ObjectMeta WithAnnotations(V1ObjectMeta meta, Dictionary<string, string> annotations)
    {
        meta.Annotations = annotations;
        return meta;
    }

    /// <summary>pgAdmin's servers.json for the cluster: CloudNativePG's read-write service and its app owner; no password.</summary>
    private static void AddPgAdminServers(PgAdminResource pgAdmin, FluxBuildContext context, V1Container container, V1PodSpec pod, string file)
    {
        var ns = context.NamespaceOf(pgAdmin);
        var servers = pgAdmin.Servers.Select((server, i) => (Key: (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Value: (object)new
        {
            Name = server.Name,
            Group = "fleet-infra",
            Host = context.ServiceHost(server, ns),
            Port = 5432,
            MaintenanceDB = "postgres",
            Username = Hosting.Components.Postgres.CnpgClusterWriter.Owner,
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
