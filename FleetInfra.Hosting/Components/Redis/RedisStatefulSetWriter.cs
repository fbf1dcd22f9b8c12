using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Workloads;
using k8s.Models;

namespace FleetInfra.Hosting.Components.Redis;

/// <summary>Redis as a one-replica StatefulSet with a volume; its password comes from an ExternalSecret.</summary>
internal static class RedisStatefulSetWriter
{
    private const long User = 999; // the redis user of the official image

    public static void Write(RedisResource redis, FluxBuildContext context)
    {
        var file = FluxBuildContext.FileOf(redis);
        var port = FluxBuildContext.TargetPort(redis, "tcp");
        var env = new List<V1EnvVar>();
        if (redis.PasswordParameter is { } password)
        {
            env.Add(ContainerSpecs.EnvFrom("REDIS_PASSWORD", new V1EnvVarSource { SecretKeyRef = context.SecretFor(password, redis) }));
        }

        var container = new V1Container
        {
            Name = redis.Name,
            Image = FluxBuildContext.ImageOf(redis),
            ImagePullPolicy = "IfNotPresent",
            Command = ["redis-server"],
            Args = ["--requirepass", "$(REDIS_PASSWORD)", "--appendonly", "yes", "--port", FluxBuildContext.Port(port)],
            Env = env,
            Ports = [new V1ContainerPort { Name = "tcp", ContainerPort = port, Protocol = "TCP" }],
            Resources = ContainerSpecs.Resources(cpu: "100m", memory: "256Mi", cpuLimit: "500m", memoryLimit: "512Mi"),
            // Declared in FleetRedisBuilderExtensions.
            ReadinessProbe = ProbeSpecs.Of(redis, ProbeType.Readiness),
            LivenessProbe = ProbeSpecs.Of(redis, ProbeType.Liveness),
            SecurityContext = ContainerSpecs.Restricted(User, readOnlyRoot: true),
            VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }],
        };
        context.Add(redis, file, new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = context.Meta(redis, redis.Name),
            Spec = new V1StatefulSetSpec
            {
                ServiceName = redis.Name,
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = FluxBuildContext.SelectorLabels(redis) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = context.Labels(redis) },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = redis.Name,
                        AutomountServiceAccountToken = false,
                        SecurityContext = ContainerSpecs.PodSecurity(User),
                        Containers = [container],
                    },
                },
                VolumeClaimTemplates =
                [
                    new V1PersistentVolumeClaim
                    {
                        Metadata = new V1ObjectMeta { Name = "data" },
                        Spec = new V1PersistentVolumeClaimSpec
                        {
                            AccessModes = ["ReadWriteOnce"],
                            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(context.Cluster.Strict ? "5Gi" : "1Gi") } },
                        },
                    },
                ],
            },
        });
        context.Add(redis, file, ContainerSpecs.Service(context, redis));
    }
}
