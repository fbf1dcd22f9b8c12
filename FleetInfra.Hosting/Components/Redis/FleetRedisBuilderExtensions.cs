using FleetInfra.Hosting.Publishing;

namespace FleetInfra.Hosting.Components.Redis;

/// <summary>Redis on Aspire's own integration, with FleetInfra's pinned image, data volume and cluster form.</summary>
public static class FleetRedisBuilderExtensions
{
    /// <summary>Adds Redis with a generated secret password and a data volume; in the cluster a StatefulSet.</summary>
    public static IResourceBuilder<RedisResource> AddFleetRedis(this IDistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddRedis(name, port: port)
            .WithPinnedImage(RedisContainerImageTags.Registry, RedisContainerImageTags.Image, RedisContainerImageTags.Tag)
            .WithDataVolume()
            .WithAnnotation(new DataLayerAnnotation())
            .PublishAsStatefulSet();

    /// <summary>In the cluster, Redis is a one-replica StatefulSet with a volume and its password from an ExternalSecret.</summary>
    public static IResourceBuilder<RedisResource> PublishAsStatefulSet(this IResourceBuilder<RedisResource> builder) =>
        builder.PublishAsFlux<RedisResource>(RedisStatefulSetWriter.Write);
}
