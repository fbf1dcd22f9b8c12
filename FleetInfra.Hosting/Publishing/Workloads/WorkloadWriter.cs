using FleetInfra.Hosting.Waves;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing.Workloads;

/// <summary>
/// How one kind of container runs in the cluster: requests and limits, user, writable paths. Its probes are the ones the
/// component declares (<see cref="ProbeBuilderExtensions"/>).
/// </summary>
internal sealed record ClusterWorkloadProfile(
    string Cpu,
    string Memory,
    string CpuLimit,
    string MemoryLimit,
    long User,
    bool ReadOnlyRoot,
    IReadOnlyList<string> WritablePaths,
    IReadOnlyList<string>? AddCapabilities = null,
    Action<IResource, FluxBuildContext, V1Container, V1PodSpec>? ExtendPod = null);

/// <summary>How the component runs in the cluster as a generic workload; declared in the component's folder.</summary>
/// <param name="Profile">Size, user, writable paths.</param>
internal sealed record ClusterWorkloadProfileAnnotation(ClusterWorkloadProfile Profile) : IResourceAnnotation;

/// <summary>Deployments (or a Job for run-to-completion components), Services and routes for the application containers and .NET projects.</summary>
internal static class WorkloadWriter
{
    /// <summary>The profile the component declares in its folder (<c>WithClusterProfile</c>), else a small default (a project's: <see cref="ProjectWorkload.Profile"/>).</summary>
    public static ClusterWorkloadProfile ProfileOf(IResource resource) =>
        resource.Annotations.OfType<ClusterWorkloadProfileAnnotation>().LastOrDefault()?.Profile ?? (resource is ProjectResource ? ProjectWorkload.Profile : Default);

    private static readonly ClusterWorkloadProfile Default = new(Cpu: "100m", Memory: "128Mi", CpuLimit: "500m", MemoryLimit: "512Mi", User: 1000, ReadOnlyRoot: false, WritablePaths: ["/tmp"]);

    /// <summary>
    /// The declared probe of <paramref name="type"/>; a long-running container that declares none gets a TCP probe on
    /// its first endpoint (Kubernetes then at least restarts a process that stopped listening).
    /// </summary>
    private static V1Probe? ProbeOf(IResource resource, ProbeType type, IReadOnlyList<V1ContainerPort> ports) =>
        ProbeSpecs.Declared(resource) ? ProbeSpecs.Of(resource, type)
        : resource.HasAnnotationOfType<RunsToCompletionAnnotation>() || ports.Count == 0 || type == ProbeType.Startup ? null
        : new V1Probe { TcpSocket = new V1TCPSocketAction { Port = ports[0].ContainerPort }, PeriodSeconds = type == ProbeType.Liveness ? 20 : 10 };

    /// <summary>Writes the workload of a container or a .NET project (<paramref name="resource"/>).</summary>
    public static async Task WriteAsync(IResource resource, FluxBuildContext context)
    {
        var profile = ProfileOf(resource);
        var file = FluxBuildContext.FileOf(resource);
        var volumes = profile.WritablePaths.Select((p, i) => (Name: $"writable-{i}", Path: p)).ToList();
        var ports = ContainerSpecs.Ports(resource);
        var container = new V1Container
        {
            Name = resource.Name,
            Image = resource is ProjectResource project ? await ProjectWorkload.ImageAsync(project, context).ConfigureAwait(false) : FluxBuildContext.ImageOf(resource),
            ImagePullPolicy = "IfNotPresent",
            Command = resource is ContainerResource { Entrypoint: { } entrypoint } ? [entrypoint] : null,
            Args = await ContainerSpecs.ArgumentsAsync(context, resource).ConfigureAwait(false) is { Count: > 0 } args ? args : null,
            Env = (await ContainerSpecs.EnvironmentAsync(context, resource).ConfigureAwait(false))
                .Where(e => resource is not ProjectResource project || !ProjectWorkload.ConnectionPropertyVariables(project).Contains(e.Name)).ToList(),
            Ports = ports.Count > 0 ? ports : null,
            Resources = ContainerSpecs.Resources(cpu: profile.Cpu, memory: profile.Memory, cpuLimit: profile.CpuLimit, memoryLimit: profile.MemoryLimit),
            StartupProbe = ProbeOf(resource, ProbeType.Startup, ports),
            ReadinessProbe = ProbeOf(resource, ProbeType.Readiness, ports),
            LivenessProbe = ProbeOf(resource, ProbeType.Liveness, ports),
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

        profile.ExtendPod?.Invoke(resource, context, container, pod);

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
                Spec = new V1JobSpec
                {
                    BackoffLimit = 10,
                    Template = template,
                    // A rerunnable job is deleted after it finishes, so Flux applies it again (the job-recovery lint).
                    TtlSecondsAfterFinished = resource.Annotations.OfType<RerunnableJobAnnotation>().LastOrDefault() is { } rerun ? (int)rerun.DeleteAfter.TotalSeconds : null,
                },
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
}
