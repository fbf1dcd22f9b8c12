using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Components;
using k8s.Models;

namespace FleetInfra.Hosting.Components.LocalStack;

/// <summary>
/// LocalStack for the development cluster only: S3 and Secrets Manager, with an init script that creates the backup
/// bucket and the secrets the model seeds. Secret parameter values are not published: the script generates them.
/// </summary>
internal static class LocalStackClusterWriter
{
    private const string InitDirectory = "/etc/localstack/init/ready.d";

    public static async Task WriteAsync(LocalStackResource localStack, FluxBuildContext context)
    {
        if (!context.Cluster.UsesLocalStack)
        {
            return;
        }

        var file = FluxBuildContext.FileOf(localStack);
        var port = FluxBuildContext.TargetPort(localStack, LocalStackResource.HttpEndpointName);
        var env = new List<V1EnvVar>
        {
            ContainerSpecs.Env("SERVICES", "s3,secretsmanager"),
            ContainerSpecs.Env("EAGER_SERVICE_LOADING", "1"),
            ContainerSpecs.Env("FLEETINFRA_BACKUP_BUCKET", localStack.BackupBucket),
        };
        for (var i = 0; i < localStack.Secrets.Count; i++)
        {
            var secret = localStack.Secrets[i];
            env.Add(ContainerSpecs.Env($"FLEETINFRA_SECRET_{i}_NAME", secret.Name));
            if (!secret.Value.Secret)
            {
                // Not a secret (an e-mail address): the value may be in Git.
                env.Add(ContainerSpecs.Env($"FLEETINFRA_SECRET_{i}_VALUE", await secret.Value.GetValueAsync(context.CancellationToken).ConfigureAwait(false) ?? ""));
            }
        }

        var configMap = $"{localStack.Name}-init";
        context.Add(localStack, file, new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = context.Meta(localStack, configMap),
            Data = new Dictionary<string, string> { ["init-fleet-infra.sh"] = ReadInitScript() },
        });

        var container = new V1Container
        {
            Name = localStack.Name,
            Image = FluxBuildContext.ImageOf(localStack),
            ImagePullPolicy = "IfNotPresent",
            Env = env,
            Ports = [new V1ContainerPort { Name = LocalStackResource.HttpEndpointName, ContainerPort = port, Protocol = "TCP" }],
            Resources = ContainerSpecs.Resources("250m", "512Mi", "1", "1Gi"),
            // Local checks: /_localstack/health, and init scripts completed (the bucket and secrets exist).
            ReadinessProbe = ContainerSpecs.ExecProbe($"curl -fs http://localhost:{port}/_localstack/init/ready | grep -q '\"completed\": *true'"),
            LivenessProbe = ContainerSpecs.HttpProbe("/_localstack/health", port, period: 20),
            // LocalStack's image starts as root and drops to its own user; only privilege escalation is denied.
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            VolumeMounts =
            [
                new V1VolumeMount { Name = "init", MountPath = InitDirectory, ReadOnlyProperty = true },
                new V1VolumeMount { Name = "state", MountPath = "/var/lib/localstack" },
            ],
        };
        context.Add(localStack, file, new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = context.Meta(localStack, localStack.Name),
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = FluxBuildContext.SelectorLabels(localStack) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = context.Labels(localStack) },
                    Spec = new V1PodSpec
                    {
                        AutomountServiceAccountToken = false,
                        Containers = [container],
                        Volumes =
                        [
                            new V1Volume { Name = "init", ConfigMap = new V1ConfigMapVolumeSource { Name = configMap, DefaultMode = 0b111_101_101 } },
                            new V1Volume { Name = "state", EmptyDir = new V1EmptyDirVolumeSource() },
                        ],
                    },
                },
            },
        });
        context.Add(localStack, file, ContainerSpecs.Service(context, localStack));
    }

    private static string ReadInitScript() => ContainerScript.ReadEmbedded("FleetInfra.Hosting.LocalStack.init-localstack-cluster.sh");
}
