using FleetInfra.Hosting.Components.Monitoring;
using FleetInfra.Hosting.Components.N8n;
using FleetInfra.Hosting.Components.Traefik;
using FleetInfra.Hosting.Components;
using FleetInfra.Hosting.Probes;
using FleetInfra.Hosting.Publishing;

// Builder extensions live in FleetInfra.Hosting (like Aspire's in Aspire.Hosting): one using reaches every component's API.
namespace FleetInfra.Hosting;

/// <summary>Builder extensions for n8n.</summary>
public static class N8nBuilderExtensions
{
    /// <summary>Adds n8n with a secret encryption key and a data volume; connect it with <see cref="WithDatabase"/>.</summary>
    public static IResourceBuilder<N8nResource> AddN8n(this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> encryptionKey, int? port = null)
    {
        // n8n encrypts stored credentials with the key: a new value orphans them, so the cluster keeps the first one.
        encryptionKey.AsEncryptionKey();
        var n8n = builder.AddResource(new N8nResource(name, encryptionKey.Resource))
            .WithPinnedImage(N8nContainerImageTags.Registry, N8nContainerImageTags.Image, N8nContainerImageTags.Tag)
            .WithClusterProfile(N8nClusterProfile.Profile)
            .WithHttpEndpoint(port: port, targetPort: N8nResource.HttpTargetPort, name: N8nResource.HttpEndpointName)
            .WithEnvironment("N8N_ENCRYPTION_KEY", encryptionKey)
            .WithEnvironment("N8N_PORT", N8nResource.HttpTargetPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("N8N_METRICS", "true")
            .WithEnvironment("N8N_DIAGNOSTICS_ENABLED", "false")
            .WithEnvironment("N8N_PERSONALIZATION_ENABLED", "false")
            .WithEnvironment("N8N_SECURE_COOKIE", "false") // plain HTTP on localhost; the cluster serves it behind TLS
            // Reached through one proxy (Traefik): trust its X-Forwarded-For, or express-rate-limit rejects every proxied
            // request (n8n-io/n8n#9295; N8N_PROXY_HOPS in @n8n/config 2.39.0 dist/index.js).
            .WithEnvironment("N8N_PROXY_HOPS", "1")
            // Behind TLS under its own host (production): links, OAuth callbacks and webhooks use the public URL, and
            // the session cookie is Secure (n8n docs, environment variables: deployment and endpoints).
            .WithPublicUrlEnvironment(url => new Dictionary<string, string>
            {
                ["N8N_HOST"] = url.Host,
                ["N8N_PROTOCOL"] = url.Scheme,
                // N8N_WEBHOOK_URL, not the deprecated WEBHOOK_URL (@n8n/config 2.39.0, which n8n 2.41.1 uses: dist/index.js).
                ["N8N_WEBHOOK_URL"] = url.ToString(),
                ["N8N_SECURE_COOKIE"] = url.Scheme == Uri.UriSchemeHttps ? "true" : "false",
            })
            // n8n 2.x (docs.n8n.io "v2.0 Breaking changes"): task runners are on by default (N8N_RUNNERS_ENABLED is
            // deprecated, not set), internal mode runs the JS runner as a child `node` process; the settings file in
            // /home/node/.n8n must be 0600 - enforce it instead of warning (N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS).
            .WithEnvironment("N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS", "true")
            // n8n's own split (docs.n8n.io hosting/logging-monitoring/monitoring): /healthz/readiness is 200 once the database is
            // connected and migrated, /healthz only says the process is reachable.
            .WithHttpReadinessProbe("/healthz/readiness", N8nResource.HttpEndpointName)
            .WithHttpLivenessProbe("/healthz", N8nResource.HttpEndpointName)
            .WithPrometheusScrape(N8nResource.HttpEndpointName, "/metrics")
            .WithUrlForEndpoint(N8nResource.HttpEndpointName, u => u.DisplayText = "n8n");
        return n8n.WithVolume(VolumeNameGenerator.Generate(n8n, "data"), "/home/node/.n8n");
    }

    /// <summary>
    /// n8n's owner account comes from the environment instead of the "Set up owner account" page its first visitor would
    /// see (on a public route, anyone): <c>N8N_INSTANCE_OWNER_MANAGED_BY_ENV</c>, <c>_EMAIL</c> and <c>_PASSWORD_HASH</c>, a
    /// bcrypt hash (<c>$2a$</c>/<c>$2b$</c>), read by @n8n/config 2.39.0, which n8n 2.41.1 uses
    /// (dist/configs/instance-settings-loader.config.js). Locally the hash is computed from <paramref name="password"/> at each
    /// start (sign in with the parameters, like Grafana's admin); in the cluster an ExternalSecret computes it from the Secrets
    /// Manager value (<see cref="N8nClusterProfile"/>), so neither the password nor its hash is written anywhere.
    /// </summary>
    public static IResourceBuilder<N8nResource> WithOwner(this IResourceBuilder<N8nResource> n8n, IResourceBuilder<ParameterResource> email, IResourceBuilder<ParameterResource> password)
    {
        n8n.Resource.Owner = new N8nOwner(email.Resource, password.Resource);
        return n8n
            .WithEnvironment("N8N_INSTANCE_OWNER_MANAGED_BY_ENV", "true")
            .WithEnvironment("N8N_INSTANCE_OWNER_EMAIL", email)
            .WithEnvironment(async context =>
            {
                // Run mode only: a publish (manifest or Flux tree) must not carry the hash; the cluster computes its own.
                if (context.ExecutionContext.IsRunMode)
                {
                    var value = await password.Resource.GetValueAsync(context.CancellationToken).ConfigureAwait(false) ?? "";
                    context.EnvironmentVariables["N8N_INSTANCE_OWNER_PASSWORD_HASH"] = BCrypt.Net.BCrypt.HashPassword(value, N8nOwner.WorkFactor);
                }
            });
    }

    /// <summary>Stores n8n's data in <paramref name="database"/> (<c>DB_TYPE=postgresdb</c>) and starts n8n after it is healthy.</summary>
    public static IResourceBuilder<N8nResource> WithDatabase(this IResourceBuilder<N8nResource> n8n, IResourceBuilder<PostgresDatabaseResource> database)
    {
        var server = database.Resource.Parent;
        return n8n
            .WithEnvironment("DB_TYPE", "postgresdb")
            .WithEnvironment("DB_POSTGRESDB_HOST", server.PrimaryEndpoint.Property(EndpointProperty.Host))
            .WithEnvironment("DB_POSTGRESDB_PORT", server.PrimaryEndpoint.Property(EndpointProperty.Port))
            .WithEnvironment("DB_POSTGRESDB_DATABASE", database.Resource.DatabaseName)
            .WithEnvironment("DB_POSTGRESDB_USER", server.UserNameReference)
            .WithEnvironment("DB_POSTGRESDB_PASSWORD", server.PasswordParameter)
            .WithReferenceRelationship(database)
            .WaitFor(database);
    }
}
