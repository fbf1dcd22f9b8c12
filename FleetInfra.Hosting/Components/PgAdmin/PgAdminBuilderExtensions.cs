using System.Text.Json;
using FleetInfra.Hosting.Components.PgAdmin;
using FleetInfra.Hosting.Components;
using FleetInfra.Hosting.Probes;
using FleetInfra.Hosting.Publishing;
// Builder extensions live in FleetInfra.Hosting (like Aspire's in Aspire.Hosting): one using reaches every component's API.
namespace FleetInfra.Hosting;

/// <summary>Builder extensions for pgAdmin.</summary>
public static class PgAdminBuilderExtensions
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <summary>Adds pgAdmin; register servers with <see cref="WithServer"/>.</summary>
    public static IResourceBuilder<PgAdminResource> AddPgAdmin(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<ParameterResource> email, IResourceBuilder<ParameterResource> password, int? port = null)
    {
        var pgAdmin = new PgAdminResource(name, email.Resource, password.Resource);
        return builder.AddResource(pgAdmin)
            .WithPinnedImage(PgAdminContainerImageTags.Registry, PgAdminContainerImageTags.Image, PgAdminContainerImageTags.Tag)
            .WithClusterProfile(PgAdminClusterProfile.Profile)
            .WithHttpEndpoint(port: port, targetPort: PgAdminResource.HttpTargetPort, name: PgAdminResource.HttpEndpointName)
            .WithEnvironment("PGADMIN_DEFAULT_EMAIL", email)
            .WithEnvironment("PGADMIN_DEFAULT_PASSWORD", password)
            .WithEnvironment("PGADMIN_CONFIG_SERVER_MODE", "True")
            .WithEnvironment("PGADMIN_LISTEN_PORT", PgAdminResource.HttpTargetPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            // The entrypoint binds gunicorn to ${PGADMIN_LISTEN_ADDRESS:-[::]} (pgadmin4 pkg/docker/entrypoint.sh), which fails
            // where IPv6 is off (pgadmin4 #2601, #3382): IPv4's any address works everywhere the port is reached.
            .WithEnvironment("PGADMIN_LISTEN_ADDRESS", "0.0.0.0")
            // The entrypoint starts a postfix for e-mail unless told not to; it needs root (pgadmin4 pkg/docker/entrypoint.sh).
            .WithEnvironment("PGADMIN_DISABLE_POSTFIX", "true")
            .WithEnvironment("PGADMIN_SERVER_JSON_FILE", "/pgadmin4/fleet-infra/servers.json")
            .WithContainerFiles("/pgadmin4/fleet-infra", (_, _) =>
                Task.FromResult<IEnumerable<ContainerFileSystemItem>>([new ContainerFile { Name = "servers.json", Contents = RenderServers(pgAdmin) }]))
            .WithHttpReadinessProbe("/misc/ping", PgAdminResource.HttpEndpointName)
            .WithHttpLivenessProbe("/misc/ping", PgAdminResource.HttpEndpointName)
            .WithUrlForEndpoint(PgAdminResource.HttpEndpointName, u => u.DisplayText = "pgAdmin");
    }

    /// <summary>Pre-registers <paramref name="server"/> in pgAdmin and starts pgAdmin after it is healthy.</summary>
    public static IResourceBuilder<PgAdminResource> WithServer(this IResourceBuilder<PgAdminResource> pgAdmin, IResourceBuilder<PostgresServerResource> server)
    {
        pgAdmin.Resource.AddServer(server.Resource);
        return pgAdmin.WithReferenceRelationship(server).WaitFor(server);
    }

    /// <summary>pgAdmin's servers.json; passwords are never written, pgAdmin asks for them on first connect.</summary>
    internal static string RenderServers(PgAdminResource pgAdmin)
    {
        var servers = pgAdmin.Servers.Select((server, i) => (Key: (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Value: new
        {
            Name = server.Name,
            Group = "fleet-infra",
            Host = server.Name,
            Port = server.TargetPort(server.PrimaryEndpoint.EndpointName),
            MaintenanceDB = "postgres",
            Username = "postgres",
            SSLMode = "prefer",
        })).ToDictionary(s => s.Key, s => (object)s.Value);
        return JsonSerializer.Serialize(new { Servers = servers }, s_json);
    }
}
