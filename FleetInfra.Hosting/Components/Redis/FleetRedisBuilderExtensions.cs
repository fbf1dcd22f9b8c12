using FleetInfra.Hosting.Components.Redis;
using FleetInfra.Hosting.Components;
using FleetInfra.Hosting.Probes;
using FleetInfra.Hosting.Publishing;
// Builder extensions live in FleetInfra.Hosting (like Aspire's in Aspire.Hosting): one using reaches every component's API.
namespace FleetInfra.Hosting;

/// <summary>Redis on Aspire's own integration, with FleetInfra's pinned image, data volume and cluster form.</summary>
public static class FleetRedisBuilderExtensions
{
    private const string Ping = "redis-cli -a \"$REDIS_PASSWORD\" --no-auth-warning ping | grep -q PONG";

    /// <summary>Adds Redis with a generated secret password and a data volume; in the cluster a StatefulSet.</summary>
    public static IResourceBuilder<RedisResource> AddFleetRedis(this IDistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddRedis(name, port: port)
            .WithPinnedImage(RedisContainerImageTags.Registry, RedisContainerImageTags.Image, RedisContainerImageTags.Tag)
            .WithDataVolume()
            .WithAnnotation(new DataLayerAnnotation())
            // PING with the password, inside the pod; locally Aspire's Redis health check sends the same PING.
            .WithExecProbe(ProbeType.Readiness, Ping)
            .WithExecProbe(ProbeType.Liveness, Ping)
            .PublishAsStatefulSet();

    /// <summary>In the cluster, Redis is a one-replica StatefulSet with a volume and its password from an ExternalSecret.</summary>
    public static IResourceBuilder<RedisResource> PublishAsStatefulSet(this IResourceBuilder<RedisResource> builder)
    {
        var redis = builder.Resource;
        // Clients in the cluster: plain TCP (the StatefulSet serves no TLS; Aspire's local connection string has ssl=true for
        // its development certificate), the password from the ExternalSecret. Built when publishing, after WithPassword.
        return builder.PublishAsFlux<RedisResource>(RedisStatefulSetWriter.Write)
            .WithAnnotation(new ClusterConnectionStringAnnotation(() => redis.PasswordParameter is { } password
                ? ReferenceExpression.Create($"{redis.PrimaryEndpoint.Property(EndpointProperty.Host)}:{redis.PrimaryEndpoint.Property(EndpointProperty.Port)},password={password}")
                : ReferenceExpression.Create($"{redis.PrimaryEndpoint.Property(EndpointProperty.Host)}:{redis.PrimaryEndpoint.Property(EndpointProperty.Port)}")), ResourceAnnotationMutationBehavior.Replace);
    }
}
