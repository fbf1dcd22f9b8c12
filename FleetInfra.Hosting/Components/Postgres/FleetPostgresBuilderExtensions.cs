using FleetInfra.Hosting.Components.CloudNativePg;
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
    public static IResourceBuilder<PostgresServerResource> PublishAsCnpgCluster(this IResourceBuilder<PostgresServerResource> builder)
    {
        var server = builder.Resource;
        // CloudNativePG makes the read-write Service <cluster>-rw and the owner's credentials in <cluster>-app; its instances
        // replicate on 5432 and the operator calls each instance manager on 8000 (cloudnative-pg pkg/management/url/url.go
        // StatusPort = 8000; docs/src/security.md "The operator needs to communicate to each instance on TCP port 8000").
        return builder
            .PublishAsFlux<PostgresServerResource>(CnpgClusterWriter.Write)
            .WithAnnotation(new ClusterServiceAnnotation(
                ServiceName: $"{server.Name}-rw",
                Port: CnpgClusterWriter.Port,
                PodLabels: new Dictionary<string, string> { ["cnpg.io/cluster"] = server.Name },
                Credentials: new ClusterCredentials(Secret: $"{server.Name}-app", Password: () => server.PasswordParameter, UserNameExpression: () => server.UserNameReference.ValueExpression),
                PeerPorts: [CnpgClusterWriter.Port, CnpgClusterWriter.StatusPort],
                Operator: CloudNativePgChart.Chart), ResourceAnnotationMutationBehavior.Replace);
    }
}
