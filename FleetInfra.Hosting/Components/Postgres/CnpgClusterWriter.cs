using FleetInfra.Hosting.Components.LocalStack;
using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Workloads;
using FleetInfra.Hosting.Publishing.Manifests;
using k8s.Models;

namespace FleetInfra.Hosting.Components.Postgres;

/// <summary>
/// PostgreSQL as a CloudNativePG Cluster: three instances, the first database of the model created by initdb,
/// the others as Database resources, base backups and WAL to S3 (LocalStack in development) and a daily ScheduledBackup.
/// </summary>
internal static class CnpgClusterWriter
{
    /// <summary>The owner of every database; CloudNativePG generates its credentials in the secret <c>&lt;cluster&gt;-app</c>.</summary>
    public const string Owner = "app";

    public const int Instances = 3;

    /// <summary>PostgreSQL's port on CloudNativePG's instances and services.</summary>
    public const int Port = 5432;

    /// <summary>The instance manager's status port the operator calls.</summary>
    public const int StatusPort = 8000;

    public static void Write(PostgresServerResource server, FluxBuildContext context)
    {
        var file = FluxBuildContext.FileOf(server);
        var ns = context.NamespaceOf(server);
        var databases = context.Model.Resources.OfType<PostgresDatabaseResource>().Where(d => d.Parent == server).ToList();
        var first = databases.FirstOrDefault()?.DatabaseName ?? "app";
        var bucket = context.Model.Resources.OfType<LocalStackResource>().FirstOrDefault()?.BackupBucket ?? "fleet-infra-postgres-backups";

        CnpgS3Credentials credentials;
        List<V1EnvVar>? env = null;
        if (context.Cluster.EmulatesAws)
        {
            // LocalStack accepts any key pair; the pair is generated in the cluster (see the cluster configuration).
            credentials = new CnpgS3Credentials(
                AccessKeyId: new SecretKeyRef(LocalStackClusterWriter.CredentialsSecret, "access-key-id"),
                SecretAccessKey: new SecretKeyRef(LocalStackClusterWriter.CredentialsSecret, "secret-access-key"));
        }
        else
        {
            // Real AWS: the instances' service account carries an IAM role (IRSA); no keys anywhere.
            credentials = new CnpgS3Credentials(InheritFromIAMRole: true);
            env = [ContainerSpecs.Env("AWS_REGION", context.Cluster.AwsRegion)];
        }

        var cluster = context.Add(server, file, Crd.Create("postgresql.cnpg.io/v1", "Cluster",
            context.Meta(server, server.Name),
            new CnpgClusterSpec(
                Instances,
                ImageName(server),
                EnableSuperuserAccess: false,
                new CnpgBootstrap(new CnpgInitDb(first, Owner)),
                new CnpgStorage(context.Cluster.Strict ? "20Gi" : "5Gi"),
                ContainerSpecs.Resources("250m", "512Mi", "1", "1Gi"),
                new CnpgBackup("30d", new CnpgBarmanObjectStore(
                    $"s3://{bucket}/{server.Name}",
                    context.Cluster.S3Endpoint,
                    credentials,
                    new CnpgCompression("gzip"),
                    new CnpgCompression("gzip"))),
                env,
                context.Cluster.RoleArn(server) is { } role
                    ? new CnpgServiceAccountTemplate(new CnpgTemplateMetadata(new Dictionary<string, string> { [FluxBuildContext.IrsaRoleAnnotation] = role }))
                    : null)));
        // CloudNativePG generates the owner's credentials.
        cluster.Produces.Add(new FluxReference("Secret", ns, $"{server.Name}-app", "the owner's credentials CloudNativePG generates"));
        if (context.Cluster.EmulatesAws)
        {
            cluster.References.Add(new FluxReference("Secret", ns, LocalStackClusterWriter.CredentialsSecret, "spec.backup.barmanObjectStore.s3Credentials"));
        }

        foreach (var database in databases.Skip(1))
        {
            context.Add(server, file, Crd.Create("postgresql.cnpg.io/v1", "Database",
                context.Meta(server, database.Name),
                new CnpgDatabaseSpec(database.DatabaseName, Owner, new NamedRef(server.Name))));
        }

        context.Add(server, file, Crd.Create("postgresql.cnpg.io/v1", "ScheduledBackup",
            context.Meta(server, $"{server.Name}-daily"),
            new CnpgScheduledBackupSpec("0 0 2 * * *", new NamedRef(server.Name), "self", "barmanObjectStore", Immediate: true)));
    }

    /// <summary>
    /// CloudNativePG needs its operand image (PostgreSQL plus barman-cloud): for the model's PostgreSQL tag the pinned
    /// operand of that version (<see cref="PostgresContainerImageTags.CnpgTag"/>). A registry override
    /// (<c>FleetInfra:Registry</c>) replaces the registry; another tag of the official image maps to CloudNativePG's image of
    /// that tag; any other image override (<c>FleetInfra:Images:postgres</c>) is kept as given.
    /// </summary>
    public static string ImageName(PostgresServerResource server)
    {
        var (registry, repository, tag) = FluxBuildContext.ImageParts(server);
        registry = registry == PostgresContainerImageTags.Registry ? PostgresContainerImageTags.CnpgRegistry : registry;
        if (repository is PostgresContainerImageTags.Image or "postgres")
        {
            repository = PostgresContainerImageTags.CnpgImage;
            tag = tag == PostgresContainerImageTags.Tag ? PostgresContainerImageTags.CnpgTag : tag;
        }

        return tag.StartsWith('@') ? $"{registry}/{repository}{tag}" : $"{registry}/{repository}:{tag}";
    }
}
