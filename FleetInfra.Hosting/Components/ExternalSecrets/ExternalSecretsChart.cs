using FleetInfra.Hosting.Components.LocalStack;
using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Manifests;
using k8s.Models;

namespace FleetInfra.Hosting.Components.ExternalSecrets;

/// <summary>
/// The External Secrets operator (cluster only): its Helm chart, pinned, with its values, and the ClusterSecretStore every
/// ExternalSecret reads from (AWS Secrets Manager; LocalStack in development), written by the cluster configuration.
/// </summary>
public static class ExternalSecretsChart
{
    /// <summary>External Secrets operator (serves external-secrets.io/v1).</summary>
    public static HelmChart Chart { get; } = new("external-secrets", "https://charts.external-secrets.io", "external-secrets", "0.20.4", "external-secrets-system", "external-secrets")
    {
        ProvidesApiGroups = ["external-secrets.io", "generators.external-secrets.io"],
        RetiredApiVersions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["external-secrets.io/v1beta1"] = "external-secrets.io/v1",
            ["external-secrets.io/v1alpha1"] = "external-secrets.io/v1",
        },
        PodName = "external-secrets",
        WebhookPorts = [10250],
        Values = Values,
        ClusterConfiguration = WriteSecretStore,
        IamRole = new("aws-external-secrets-role-arn", Who: "External Secrets", What: "External Secrets' service account"),
    };

    private static IDictionary<string, object> Values(HelmReleaseContext release)
    {
        var chart = release.Chart;
        var small = HelmReleaseContext.Resources("50m", "64Mi", "250m", "256Mi");
        return new Dictionary<string, object>
        {
            ["installCRDs"] = true,
            // Production: the service account the ClusterSecretStore authenticates with (auth.jwt) assumes its IAM role (IRSA).
            ["serviceAccount"] = release.Members.Select(release.Cluster.RoleArn).FirstOrDefault(r => r is not null) is { } role
                ? new Dictionary<string, object> { ["name"] = chart.ReleaseName, ["annotations"] = new Dictionary<string, object> { [FluxBuildContext.IrsaRoleAnnotation] = role } }
                : new Dictionary<string, object> { ["name"] = chart.ReleaseName },
            // The AWS provider has no endpoint field: the controller reads the endpoint from its environment.
            ["extraEnv"] = new object[] { new Dictionary<string, object> { ["name"] = "AWS_SECRETSMANAGER_ENDPOINT", ["value"] = release.Cluster.SecretsManagerEndpoint } },
            ["resources"] = HelmReleaseContext.Resources("50m", "128Mi", "500m", "512Mi"),
            ["webhook"] = new Dictionary<string, object> { ["resources"] = small },
            ["certController"] = new Dictionary<string, object> { ["resources"] = small },
        };
    }

    /// <summary>
    /// The ClusterSecretStore on Secrets Manager: in development with a key pair generated in the cluster (LocalStack
    /// accepts any), in production with the controller's service account (IRSA).
    /// </summary>
    private static void WriteSecretStore(IResource config, FluxBuildContext context)
    {
        var chart = Chart;
        var ns = context.Environment.WorkloadNamespace;
        var labels = context.Labels(config);
        var credentials = LocalStackClusterWriter.CredentialsSecret;
        var secretStore = context.Add(config, "secret-store.yaml", Crd.Create("external-secrets.io/v1", "ClusterSecretStore",
            new V1ObjectMeta { Name = FluxBuildContext.SecretStoreName, Labels = labels },
            new ClusterSecretStoreSpec(new SecretStoreProvider(new AwsProvider("SecretsManager", context.Cluster.AwsRegion,
                context.Cluster.EmulatesAws
                    ? new AwsAuth(SecretRef: new AwsSecretRef(
                        new NamespacedSecretKeyRef(credentials, "access-key-id", chart.Namespace),
                        new NamespacedSecretKeyRef(credentials, "secret-access-key", chart.Namespace)))
                    // A ClusterSecretStore must name the service account's namespace (external-secrets docs/snippets/provider-aws-access.md).
                    : new AwsAuth(Jwt: new AwsJwtAuth(new NamespacedRef(chart.ReleaseName, chart.Namespace))))))));

        if (context.Cluster.EmulatesAws)
        {
            // LocalStack accepts any key pair; generating it in the cluster keeps even dummy credentials out of Git.
            secretStore.References.Add(new FluxReference("Secret", chart.Namespace, credentials, "spec.provider.aws.auth.secretRef"));
            foreach (var target in new[] { chart.Namespace, ns })
            {
                context.Add(config, "localstack-credentials.yaml", Crd.Create("generators.external-secrets.io/v1alpha1", "Password",
                    new V1ObjectMeta { Name = credentials, NamespaceProperty = target, Labels = labels },
                    new PasswordGeneratorSpec(Length: 32, Digits: 6, Symbols: 0, NoUpper: false, AllowRepeat: true)));
                context.Add(config, "localstack-credentials.yaml", Crd.Create("external-secrets.io/v1", "ExternalSecret",
                    new V1ObjectMeta { Name = credentials, NamespaceProperty = target, Labels = labels },
                    new ExternalSecretSpec("1h",
                        new ExternalSecretTarget(credentials, "Owner", new ExternalSecretTemplate(new Dictionary<string, string>
                        {
                            ["access-key-id"] = "{{ .password }}",
                            ["secret-access-key"] = "{{ .password }}",
                        })),
                        DataFrom: [new ExternalSecretDataFrom(new ExternalSecretSourceRef(new GeneratorRef("generators.external-secrets.io/v1alpha1", "Password", credentials)))],
                        RefreshPolicy: "CreatedOnce")));
            }
        }
    }
}
