using System.Globalization;
using FleetInfra.Hosting.Components.Monitoring;
using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Waves;
using FleetInfra.Hosting.Components.Temporal;
using FleetInfra.Hosting.Components;
using FleetInfra.Hosting.Probes;

// Builder extensions live in FleetInfra.Hosting (like Aspire's in Aspire.Hosting): one using reaches every component's API.
namespace FleetInfra.Hosting;

/// <summary>
/// Builder extensions for Temporal: the current pattern of a schema job (<c>temporalio/admin-tools</c>),
/// then <c>temporalio/server</c>, then <c>temporalio/ui</c> (the <c>auto-setup</c> image is deprecated).
/// </summary>
public static class TemporalBuilderExtensions
{
    // temporal-sql-tool's setup-schema -v 0.0 is a no-op on an existing schema, so the job is safe to rerun;
    // update-schema then applies only the versions that are missing.
    private const string SchemaScript = """
        set -eu
        for target in "$TEMPORAL_DB:temporal" "$TEMPORAL_VISIBILITY_DB:visibility"; do
          db="${target%%:*}"; schema="${target##*:}"
          echo "temporal-schema: $db ($schema)"
          temporal-sql-tool --plugin postgres12 --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" --db "$db" setup-schema -v 0.0
          temporal-sql-tool --plugin postgres12 --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" --db "$db" update-schema -d "/etc/temporal/schema/postgresql/v12/$schema/versioned"
        done
        echo "temporal-schema: done"
        """;

    /// <summary>
    /// Adds the schema job for the <paramref name="store"/> and <paramref name="visibility"/> databases; it waits
    /// for both and runs to completion.
    /// </summary>
    public static IResourceBuilder<TemporalSchemaResource> AddTemporalSchema(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<PostgresDatabaseResource> store, IResourceBuilder<PostgresDatabaseResource> visibility)
    {
        var server = store.Resource.Parent;
        return builder.AddResource(new TemporalSchemaResource(name))
            .WithPinnedImage(TemporalContainerImageTags.Registry, TemporalContainerImageTags.AdminToolsImage, TemporalContainerImageTags.AdminToolsTag)
            .WithClusterProfile(TemporalClusterProfiles.Schema)
            .WithEntrypoint("/bin/sh")
            .WithArgs("-c", ContainerScript.Lf(SchemaScript))
            .WithSqlEnvironment(server)
            .WithEnvironment("TEMPORAL_DB", store.Resource.DatabaseName)
            .WithEnvironment("TEMPORAL_VISIBILITY_DB", visibility.Resource.DatabaseName)
            .WithAnnotation(new RunsToCompletionAnnotation())
            // Safe to rerun: setup-schema -v 0.0 keeps a current version above 0.0 ("Skip version upgrade") and update-schema
            // applies only the versions above the current one (temporalio/temporal tools/common/schema/setuptask.go, updatetask.go).
            .RerunsInCluster()
            .WithReferenceRelationship(store)
            .WithReferenceRelationship(visibility)
            .WaitFor(store)
            .WaitFor(visibility);
    }

    /// <summary>Adds the Temporal server on the schema's databases; it starts once the schema job completed.</summary>
    public static IResourceBuilder<TemporalServerResource> AddTemporal(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<TemporalSchemaResource> schema, IResourceBuilder<PostgresDatabaseResource> store, IResourceBuilder<PostgresDatabaseResource> visibility, int? port = null)
    {
        var server = store.Resource.Parent;
        return builder.AddResource(new TemporalServerResource(name))
            .WithPinnedImage(TemporalContainerImageTags.Registry, TemporalContainerImageTags.ServerImage, TemporalContainerImageTags.ServerTag)
            .WithClusterProfile(TemporalClusterProfiles.Server)
            .WithEndpoint(port: port, targetPort: TemporalServerResource.GrpcTargetPort, scheme: "http", name: TemporalServerResource.GrpcEndpointName)
            .WithHttpEndpoint(targetPort: TemporalServerResource.MetricsTargetPort, name: TemporalServerResource.MetricsEndpointName)
            .WithEnvironment("DB", "postgres12")
            .WithEnvironment("DB_PORT", server.PrimaryEndpoint.Property(EndpointProperty.Port))
            .WithEnvironment("POSTGRES_SEEDS", server.PrimaryEndpoint.Property(EndpointProperty.Host))
            .WithEnvironment("POSTGRES_USER", server.UserNameReference)
            .WithEnvironment("POSTGRES_PWD", server.PasswordParameter)
            .WithEnvironment("DBNAME", store.Resource.DatabaseName)
            .WithEnvironment("VISIBILITY_DBNAME", visibility.Resource.DatabaseName)
            .WithEnvironment("BIND_ON_IP", "0.0.0.0")
            .WithEnvironment("PROMETHEUS_ENDPOINT", $"0.0.0.0:{TemporalServerResource.MetricsTargetPort.ToString(CultureInfo.InvariantCulture)}")
            // Ready when the frontend's gRPC health service reports the WorkflowService serving (what clients call);
            // alive while it accepts connections (history and matching may still be catching up).
            .WithGrpcReadinessProbe(TemporalServerResource.GrpcEndpointName, service: "temporal.api.workflowservice.v1.WorkflowService")
            .WithTcpLivenessProbe(TemporalServerResource.GrpcEndpointName)
            .WithPrometheusScrape(TemporalServerResource.MetricsEndpointName, "/metrics")
            .WithReferenceRelationship(store)
            .WithReferenceRelationship(visibility)
            .WaitForCompletion(schema);
    }

    // Temporal's own chart registers namespaces the same way (temporalio/helm-charts
    // charts/temporal/templates/server-namespace-job.yaml): describe succeeds on a rerun, create runs once.
    private const string NamespaceScript = """
        temporal operator namespace describe -n "$TEMPORAL_NAMESPACE" || temporal operator namespace create -n "$TEMPORAL_NAMESPACE"
        """;

    /// <summary>
    /// Adds the job that registers <paramref name="ns"/> on <paramref name="temporal"/> once the server is healthy (the
    /// server image creates no namespace; workers and the UI need one). It runs to completion and is safe to rerun.
    /// </summary>
    public static IResourceBuilder<TemporalNamespaceResource> AddTemporalNamespace(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<TemporalServerResource> temporal, string ns = "default")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ns);
        return builder.AddResource(new TemporalNamespaceResource(name, ns))
            .WithPinnedImage(TemporalContainerImageTags.Registry, TemporalContainerImageTags.AdminToolsImage, TemporalContainerImageTags.AdminToolsTag)
            .WithEntrypoint("/bin/sh")
            .WithArgs("-c", ContainerScript.Lf(NamespaceScript))
            // The temporal CLI reads its frontend address from TEMPORAL_ADDRESS.
            .WithEnvironment("TEMPORAL_ADDRESS", temporal.Resource.NetworkAddress(TemporalServerResource.GrpcEndpointName))
            .WithAnnotation(new ConnectsToAnnotation(temporal.Resource.GetEndpoint(TemporalServerResource.GrpcEndpointName)))
            .WithEnvironment("TEMPORAL_NAMESPACE", ns)
            .WithClusterProfile(TemporalClusterProfiles.Namespace)
            .WithAnnotation(new RunsToCompletionAnnotation())
            .RerunsInCluster() // safe to rerun: the script creates the namespace only when describe finds none
            .WithReferenceRelationship(temporal)
            .WaitFor(temporal);
    }

    /// <summary>The UI opens on the job's namespace and starts once the job has registered it.</summary>
    public static IResourceBuilder<TemporalUiResource> WithNamespace(this IResourceBuilder<TemporalUiResource> ui, IResourceBuilder<TemporalNamespaceResource> ns) =>
        ui.WithEnvironment("TEMPORAL_DEFAULT_NAMESPACE", ns.Resource.Namespace)
            .WaitForCompletion(ns);

    /// <summary>Adds the Temporal web UI for <paramref name="temporal"/>; it starts once the server is healthy.</summary>
    public static IResourceBuilder<TemporalUiResource> AddTemporalUi(this IDistributedApplicationBuilder builder, string name, IResourceBuilder<TemporalServerResource> temporal, int? port = null)
    {
        var ui = builder.AddResource(new TemporalUiResource(name))
            .WithPinnedImage(TemporalContainerImageTags.Registry, TemporalContainerImageTags.UiImage, TemporalContainerImageTags.UiTag)
            .WithClusterProfile(TemporalClusterProfiles.Ui)
            .WithHttpEndpoint(port: port, targetPort: TemporalUiResource.HttpTargetPort, name: TemporalUiResource.HttpEndpointName)
            .WithEnvironment("TEMPORAL_ADDRESS", $"{temporal.Resource.NetworkAddress(TemporalServerResource.GrpcEndpointName)}")
            .WithAnnotation(new ConnectsToAnnotation(temporal.Resource.GetEndpoint(TemporalServerResource.GrpcEndpointName)))
            .WithEnvironment("TEMPORAL_UI_PORT", TemporalUiResource.HttpTargetPort.ToString(CultureInfo.InvariantCulture))
            .WithHttpReadinessProbe("/", TemporalUiResource.HttpEndpointName)
            .WithHttpLivenessProbe("/", TemporalUiResource.HttpEndpointName)
            .WithUrlForEndpoint(TemporalUiResource.HttpEndpointName, u => u.DisplayText = "Temporal UI")
            .WithReferenceRelationship(temporal)
            .WaitFor(temporal);

        // The local UI is plain HTTP: its CSRF cookie is Secure unless TEMPORAL_CSRF_COOKIE_INSECURE (temporalio/ui
        // server/docker/config-template.yaml, cors.cookieInsecure), and a browser does not send a Secure cookie back over
        // HTTP, so every write action fails. Run mode only: the published workloads keep the secure default.
        return builder.ExecutionContext.IsRunMode ? ui.WithEnvironment("TEMPORAL_CSRF_COOKIE_INSECURE", "true") : ui;
    }

    private static IResourceBuilder<T> WithSqlEnvironment<T>(this IResourceBuilder<T> builder, PostgresServerResource server)
        where T : IResourceWithEnvironment =>
        builder
            .WithEnvironment("SQL_HOST", server.PrimaryEndpoint.Property(EndpointProperty.Host))
            .WithEnvironment("SQL_PORT", server.PrimaryEndpoint.Property(EndpointProperty.Port))
            .WithEnvironment("SQL_USER", server.UserNameReference)
            .WithEnvironment("SQL_PASSWORD", server.PasswordParameter);
}
