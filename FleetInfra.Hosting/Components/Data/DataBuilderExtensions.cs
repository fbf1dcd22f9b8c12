namespace FleetInfra.Hosting.Components.Data;

/// <summary>
/// The data layer on Aspire's own PostgreSQL and Redis integrations, with FleetInfra's pinned images,
/// data volumes and the <c>FleetInfra:Lifetime</c> setting.
/// </summary>
public static class DataBuilderExtensions
{
    /// <summary>Adds PostgreSQL with a generated secret password and a data volume.</summary>
    public static IResourceBuilder<PostgresServerResource> AddFleetPostgres(this IDistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddPostgres(name, port: port)
            .WithPinnedImage(PostgresContainerImageTags.Registry, PostgresContainerImageTags.Image, PostgresContainerImageTags.Tag)
            .WithDataVolume()
            .WithAnnotation(new DataLayerAnnotation());

    /// <summary>Adds Redis with a generated secret password and a data volume.</summary>
    public static IResourceBuilder<RedisResource> AddFleetRedis(this IDistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddRedis(name, port: port)
            .WithPinnedImage(RedisContainerImageTags.Registry, RedisContainerImageTags.Image, RedisContainerImageTags.Tag)
            .WithDataVolume()
            .WithAnnotation(new DataLayerAnnotation());
}

/// <summary>Marks a container of the data layer: kept between runs when <c>FleetInfra:Lifetime</c> is Persistent.</summary>
public sealed class DataLayerAnnotation : IResourceAnnotation;

/// <summary>
/// Marks a container outside the data layer that is also kept between runs when <c>FleetInfra:Lifetime</c> is
/// Persistent (Prometheus: part of the local start set, and its metrics history survives a restart).
/// </summary>
public sealed class KeepBetweenRunsAnnotation : IResourceAnnotation;
