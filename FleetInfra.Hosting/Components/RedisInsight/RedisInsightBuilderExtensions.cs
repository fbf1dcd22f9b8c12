using FleetInfra.Hosting.Components.RedisInsight;
using FleetInfra.Hosting.Components;
using FleetInfra.Hosting.Probes;
using FleetInfra.Hosting.Publishing;
// Builder extensions live in FleetInfra.Hosting (like Aspire's in Aspire.Hosting): one using reaches every component's API.
namespace FleetInfra.Hosting;

/// <summary>Builder extensions for RedisInsight.</summary>
public static class RedisInsightBuilderExtensions
{
    /// <summary>Adds RedisInsight; register a Redis with <see cref="WithDatabase"/>.</summary>
    public static IResourceBuilder<RedisInsightResource> AddRedisInsight(this IDistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddResource(new RedisInsightResource(name))
            .WithPinnedImage(RedisInsightContainerImageTags.Registry, RedisInsightContainerImageTags.Image, RedisInsightContainerImageTags.Tag)
            .WithClusterProfile(RedisInsightClusterProfile.Profile)
            .WithHttpEndpoint(port: port, targetPort: RedisInsightResource.HttpTargetPort, name: RedisInsightResource.HttpEndpointName)
            .WithEnvironment("RI_ACCEPT_TERMS_AND_CONDITIONS", "true")
            .WithHttpReadinessProbe("/api/health", RedisInsightResource.HttpEndpointName)
            .WithHttpLivenessProbe("/api/health", RedisInsightResource.HttpEndpointName)
            .WithUrlForEndpoint(RedisInsightResource.HttpEndpointName, u => u.DisplayText = "RedisInsight");

    /// <summary>Pre-registers <paramref name="redis"/> and starts RedisInsight after it is healthy.</summary>
    public static IResourceBuilder<RedisInsightResource> WithDatabase(this IResourceBuilder<RedisInsightResource> insight, IResourceBuilder<RedisResource> redis)
    {
        insight
            .WithEnvironment(context =>
            {
                // When Aspire serves Redis over TLS (a local development certificate), the primary port is
                // TLS-only and RedisInsight would not trust the certificate: inside the container network it
                // uses the plain-text "secondary" endpoint Aspire opens beside it.
                var endpoint = redis.Resource.TlsEnabled ? redis.Resource.GetEndpoint("secondary") : redis.Resource.PrimaryEndpoint;
                context.EnvironmentVariables["RI_REDIS_HOST"] = endpoint.Property(EndpointProperty.Host);
                context.EnvironmentVariables["RI_REDIS_PORT"] = endpoint.Property(EndpointProperty.Port);
            })
            .WithEnvironment("RI_REDIS_ALIAS", redis.Resource.Name);
        if (redis.Resource.PasswordParameter is { } password)
        {
            insight.WithEnvironment("RI_REDIS_PASSWORD", password);
        }

        return insight.WithReferenceRelationship(redis).WaitFor(redis);
    }
}
