using FleetInfra.Hosting.Publishing.Manifests;
using k8s.Models;

namespace FleetInfra.Hosting.Components.Postgres;

// CloudNativePG: postgresql.cnpg.io/v1 Cluster, Database, ScheduledBackup. The records mirror the CRDs' fields one to one
// (the CRDs document them); strict schema tests keep them honest.
internal sealed record CnpgClusterSpec(
    int Instances,
    string ImageName,
    bool EnableSuperuserAccess,
    CnpgBootstrap Bootstrap,
    CnpgStorage Storage,
    V1ResourceRequirements Resources,
    CnpgBackup Backup,
    IReadOnlyList<V1EnvVar>? Env = null,
    CnpgServiceAccountTemplate? ServiceAccountTemplate = null);

// The operator names the instances' service account after the Cluster (cloudnative-pg v1.27.1 pkg/specs/pods.go) and
// copies this metadata onto it: the IRSA role annotation (docs/src/appendixes/object_stores.md, "IAM Role for Service Account").
internal sealed record CnpgServiceAccountTemplate(CnpgTemplateMetadata Metadata);

internal sealed record CnpgTemplateMetadata(IDictionary<string, string> Annotations);

internal sealed record CnpgBootstrap(CnpgInitDb Initdb);

internal sealed record CnpgInitDb(string Database, string Owner);

internal sealed record CnpgStorage(string Size);

internal sealed record CnpgBackup(string RetentionPolicy, CnpgBarmanObjectStore BarmanObjectStore);

internal sealed record CnpgBarmanObjectStore(string DestinationPath, string EndpointURL, CnpgS3Credentials S3Credentials, CnpgCompression Wal, CnpgCompression Data);

internal sealed record CnpgS3Credentials(SecretKeyRef? AccessKeyId = null, SecretKeyRef? SecretAccessKey = null, bool? InheritFromIAMRole = null);

internal sealed record CnpgCompression(string Compression);

internal sealed record CnpgDatabaseSpec(string Name, string Owner, NamedRef Cluster, string Ensure = "present");

internal sealed record CnpgScheduledBackupSpec(string Schedule, NamedRef Cluster, string BackupOwnerReference, string Method, bool Immediate);
