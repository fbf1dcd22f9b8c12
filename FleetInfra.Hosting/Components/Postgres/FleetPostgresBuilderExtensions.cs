using FleetInfra.Hosting.Publishing;

namespace FleetInfra.Hosting.Components.Postgres;

/// <summary>PostgreSQL on Aspire's own integration, with FleetInfra's pinned image, data volume and cluster form.</summary>
public static class FleetPostgresBuilderExtensions
{
    /// <summary>Adds PostgreSQL with a generated secret password and a data volume; in the cluster a CloudNativePG Cluster.</summary>
    public static IResourceBuilder<PostgresServerResource> AddFleetPostgres(this IDistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddPostgres(name, port: port)
            .WithPinnedImage(PostgresContainerImageTags.Registry, PostgresContainerImageTags.Image, PostgresContainerImageTags.Tag)
            .WithDataVolume()
            .WithAnnotation(new DataLayerAnnotation())
            .PublishAsCnpgCluster();

    /// <summary>
    /// In the cluster, the server is a CloudNativePG <c>Cluster</c> (three instances, S3 backups, a daily ScheduledBackup)
    /// and its databases are created by initdb (the first) and CNPG <c>Database</c> objects (the others).
    /// </summary>
    public static IResourceBuilder<PostgresServerResource> PublishAsCnpgCluster(this IResourceBuilder<PostgresServerResource> builder) =>
        builder.PublishAsFlux<PostgresServerResource>(CnpgClusterWriter.Write);
}
