using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Components.LocalStack;
using FleetInfra.Hosting.Components;
using FleetInfra.Hosting.Probes;
using FleetInfra.Hosting.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

// Builder extensions live in FleetInfra.Hosting (like Aspire's in Aspire.Hosting): one using reaches every component's API.
namespace FleetInfra.Hosting;

/// <summary>Builder extensions for LocalStack.</summary>
public static class LocalStackBuilderExtensions
{
    private const string InitDirectory = "/etc/localstack/init/ready.d";

    /// <summary>Adds LocalStack with S3 and Secrets Manager and an init script that creates the backup bucket.</summary>
    public static IResourceBuilder<LocalStackResource> AddLocalStack(this IDistributedApplicationBuilder builder, string name, int? port = null)
    {
        var localStack = new LocalStackResource(name);
        var initHealthKey = $"{name}_init";
        builder.Services.AddHttpClient();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            initHealthKey,
            sp => new LocalStackInitHealthCheck(localStack, sp.GetRequiredService<IHttpClientFactory>()),
            failureStatus: null,
            tags: null));

        var resource = builder.AddResource(localStack)
            .WithPinnedImage(LocalStackContainerImageTags.Registry, LocalStackContainerImageTags.Image, LocalStackContainerImageTags.Tag)
            // An image override past the last token-free tag needs the token (checked before anything starts).
            .WithAnnotation(new ConfigurationCheckAnnotation($"FleetInfra:Images:{name}", LocalStackAuthToken.Check))
            .WithHttpEndpoint(port: port, targetPort: LocalStackResource.EdgeTargetPort, name: LocalStackResource.HttpEndpointName)
            .WithEnvironment("SERVICES", "s3,secretsmanager")
            .WithEnvironment("EAGER_SERVICE_LOADING", "1")
            .WithEnvironment(context =>
            {
                context.EnvironmentVariables["FLEETINFRA_BACKUP_BUCKET"] = localStack.BackupBucket;
                for (var i = 0; i < localStack.Secrets.Count; i++)
                {
                    context.EnvironmentVariables[$"FLEETINFRA_SECRET_{i}_NAME"] = localStack.Secrets[i].Name;
                    context.EnvironmentVariables[$"FLEETINFRA_SECRET_{i}_VALUE"] = localStack.Secrets[i].Value;
                }
            })
            .WithContainerFiles(InitDirectory,
            [
                new ContainerFile { Name = "init-fleet-infra.sh", Contents = ReadInitScript(), Mode = (UnixFileMode)0b111_101_101 },
            ])
            // Alive while /_localstack/health answers (here and in the cluster); ready once the init scripts completed,
            // i.e. the bucket and the seeded secrets exist: locally LocalStackInitHealthCheck reads the init endpoint, in
            // the cluster the same endpoint is read from inside the pod (an HTTP probe cannot look at the body).
            .WithHttpLivenessProbe("/_localstack/health", LocalStackResource.HttpEndpointName, localCheck: true)
            .WithHealthCheck(initHealthKey)
            .WithExecProbe(ProbeType.Readiness, $"curl -fs http://localhost:{LocalStackResource.EdgeTargetPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}/_localstack/init/ready | grep -q '\"completed\": *true'")
            .WithUrlForEndpoint(LocalStackResource.HttpEndpointName, u => u.DisplayText = "LocalStack health")
            .WithUrl(ReferenceExpression.Create($"{localStack.HttpEndpoint.Property(EndpointProperty.Url)}/_localstack/health"), "LocalStack health")
            // The development cluster runs it as a Deployment with the cluster seeding script; production has none.
            .PublishAsFlux<LocalStackResource>(LocalStackClusterWriter.WriteAsync)
            // There it stands in for AWS (region and endpoints) and provides the seeded parameters to ExternalSecrets.
            .WithAnnotation(LocalStackClusterWriter.AwsEmulator(localStack))
            .WithAnnotation(new SecretSourceAnnotation(
                RemoteKey: parameter => localStack.Secrets.FirstOrDefault(s => s.Value == parameter)?.Name,
                Fix: parameter => $"localstack.WithSecrets({parameter.Name})"));

        // The auth token, when one is configured, as a secret parameter (no token: no parameter, and 4.14.0 needs none).
        // Run mode only: publishing needs no secret value, and the cluster's emulator is the pinned image.
        var configuration = builder.Configuration;
        if (builder.ExecutionContext.IsRunMode && LocalStackAuthToken.Configured(configuration) is not null)
        {
            var token = builder.AddResource(new ParameterResource(LocalStackAuthToken.ParameterName, _ => LocalStackAuthToken.Configured(configuration) ?? "", secret: true));
            resource.WithEnvironment(LocalStackAuthToken.EnvironmentVariable, token);
        }

        return resource;
    }

    /// <summary>
    /// Seeds a Secrets Manager secret from each parameter, named by <see cref="SecretNames.RemoteKey(ParameterResource)"/>
    /// (<c>fleet-infra/&lt;parameter&gt;</c>), the name the cluster's ExternalSecrets read.
    /// </summary>
    public static IResourceBuilder<LocalStackResource> WithSecrets(this IResourceBuilder<LocalStackResource> builder, params IResourceBuilder<ParameterResource>[] parameters)
    {
        foreach (var parameter in parameters)
        {
            builder.Resource.AddSecret(new SeededSecret(SecretNames.RemoteKey(parameter.Resource), parameter.Resource));
        }

        return builder;
    }

    /// <summary>Sets the name of the bucket created for PostgreSQL backups.</summary>
    public static IResourceBuilder<LocalStackResource> WithBackupBucket(this IResourceBuilder<LocalStackResource> builder, string bucket)
    {
        builder.Resource.BackupBucket = bucket;
        return builder;
    }

    private static string ReadInitScript() => ContainerScript.ReadEmbedded("FleetInfra.Hosting.LocalStack.init-fleet-infra.sh");
}
