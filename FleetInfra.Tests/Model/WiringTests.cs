using FleetInfra.Hosting.Components.LocalStack;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Model;

/// <summary>Environment, files and URLs that connect the components, read as the manifest would write them.</summary>
public class WiringTests
{
    private static async Task<Dictionary<string, string>> EnvironmentOf(string name)
    {
        await using var builder = await FleetModel.CreatePublishAsync();
        var resource = Assert.IsAssignableFrom<IResourceWithEnvironment>(builder.Get(name));
#pragma warning disable CS0618 // the manifest-expression view of the environment is exactly what is asserted here
        return await resource.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
#pragma warning restore CS0618
    }

    [Fact]
    public async Task N8n_stores_its_data_in_appdb_with_a_secret_encryption_key()
    {
        var env = await EnvironmentOf("n8n");

        Assert.Equal("postgresdb", env["DB_TYPE"]);
        Assert.Equal("{postgres.bindings.tcp.host}", env["DB_POSTGRESDB_HOST"]);
        Assert.Equal("{postgres.bindings.tcp.port}", env["DB_POSTGRESDB_PORT"]);
        Assert.Equal("appdb", env["DB_POSTGRESDB_DATABASE"]);
        Assert.Equal("{postgres-password.value}", env["DB_POSTGRESDB_PASSWORD"]);
        Assert.Equal("{n8n-encryption-key.value}", env["N8N_ENCRYPTION_KEY"]);
    }

    [Fact]
    public async Task Temporal_server_uses_both_databases_and_the_postgres12_plugin()
    {
        var env = await EnvironmentOf("temporal");

        Assert.Equal("postgres12", env["DB"]);
        Assert.Equal("temporal", env["DBNAME"]);
        Assert.Equal("temporal_visibility", env["VISIBILITY_DBNAME"]);
        Assert.Equal("{postgres.bindings.tcp.host}", env["POSTGRES_SEEDS"]);
        Assert.Equal("{postgres-password.value}", env["POSTGRES_PWD"]);
    }

    [Fact]
    public async Task Temporal_schema_job_migrates_both_databases_with_temporal_sql_tool()
    {
        await using var builder = await FleetModel.CreatePublishAsync();
        var schema = builder.Get<ContainerResource>("temporal-schema");
#pragma warning disable CS0618
        var env = await schema.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
        var args = await schema.GetArgumentValuesAsync(DistributedApplicationOperation.Publish);
#pragma warning restore CS0618

        Assert.Equal("temporalio/admin-tools", builder.Image("temporal-schema").Image);
        Assert.Equal("temporal", env["TEMPORAL_DB"]);
        Assert.Equal("temporal_visibility", env["TEMPORAL_VISIBILITY_DB"]);
        Assert.Contains("temporal-sql-tool --plugin postgres12", args[1]);
        Assert.Contains("update-schema", args[1]);
    }

    [Fact]
    public async Task Temporal_ui_points_at_the_frontend_on_the_container_network()
    {
        var env = await EnvironmentOf("temporal-ui");

        Assert.Equal("temporal:7233", env["TEMPORAL_ADDRESS"]);
    }

    [Fact]
    public async Task PgAdmin_logs_in_with_parameters_and_has_postgres_registered_without_a_password()
    {
        var env = await EnvironmentOf("pgadmin");
        await using var builder = await FleetModel.CreateAsync();
        var servers = PgAdminBuilderExtensions.RenderServers(builder.Get<Hosting.Components.PgAdmin.PgAdminResource>("pgadmin"));

        Assert.Equal("{pgadmin-email.value}", env["PGADMIN_DEFAULT_EMAIL"]);
        Assert.Equal("{pgadmin-password.value}", env["PGADMIN_DEFAULT_PASSWORD"]);
        using var json = System.Text.Json.JsonDocument.Parse(servers);
        var server = json.RootElement.GetProperty("Servers").GetProperty("1");
        Assert.Equal("postgres", server.GetProperty("Host").GetString());
        Assert.Equal(5432, server.GetProperty("Port").GetInt32());
        Assert.False(server.TryGetProperty("Password", out _));
    }

    [Fact]
    public async Task RedisInsight_has_redis_registered_with_its_password_parameter()
    {
        var env = await EnvironmentOf("redisinsight");

        Assert.Equal("{redis.bindings.tcp.host}", env["RI_REDIS_HOST"]);
        Assert.Equal("{redis-password.value}", env["RI_REDIS_PASSWORD"]);
    }

    [Fact]
    public async Task LocalStack_runs_s3_and_secretsmanager_and_seeds_the_cluster_secrets_from_parameters()
    {
        var env = await EnvironmentOf("localstack");
        await using var builder = await FleetModel.CreateAsync();

        Assert.Equal("s3,secretsmanager", env["SERVICES"]);
        Assert.Equal("4.14.0", builder.Image("localstack").Tag);
        var seeded = env.Keys.Where(k => k.EndsWith("_NAME", StringComparison.Ordinal) && k.StartsWith("FLEETINFRA_SECRET_", StringComparison.Ordinal))
            .ToDictionary(k => env[k], k => env[k.Replace("_NAME", "_VALUE", StringComparison.Ordinal)]);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["fleet-infra/redis-password"] = "{redis-password.value}",
                ["fleet-infra/pgadmin-email"] = "{pgadmin-email.value}",
                ["fleet-infra/pgadmin-password"] = "{pgadmin-password.value}",
                ["fleet-infra/n8n-encryption-key"] = "{n8n-encryption-key.value}",
                ["fleet-infra/n8n-owner-email"] = "{n8n-owner-email.value}",
                ["fleet-infra/n8n-owner-password"] = "{n8n-owner-password.value}",
                ["fleet-infra/grafana-admin-password"] = "{grafana-admin-password.value}",
                ["fleet-infra/weave-gitops-admin-password"] = "{weave-gitops-admin-password.value}",
            },
            seeded);
        Assert.Equal(builder.Get<LocalStackResource>("localstack").BackupBucket, env["FLEETINFRA_BACKUP_BUCKET"]);
    }

    [Fact]
    public async Task Grafana_has_a_secret_admin_password()
    {
        var env = await EnvironmentOf("grafana");

        Assert.Equal("{grafana-admin-password.value}", env["GF_SECURITY_ADMIN_PASSWORD"]);
    }

    [Theory]
    [InlineData("redis-password")]
    [InlineData("postgres-password")]
    [InlineData("n8n-encryption-key")]
    [InlineData("grafana-admin-password")]
    [InlineData("pgadmin-password")]
    [InlineData("weave-gitops-admin-password")]
    public async Task Every_password_is_a_secret_parameter(string name)
    {
        await using var builder = await FleetModel.CreateAsync();

        // AddPostgres keeps its generated password parameter off the resource list.
        var parameters = builder.Resources.OfType<ParameterResource>().Append(builder.Get<PostgresServerResource>("postgres").PasswordParameter);
        Assert.True(Assert.Single(parameters, p => p.Name == name).Secret);
    }

    [Theory]
    [InlineData("postgres", "/var/lib/postgresql/data")]
    [InlineData("redis", "/data")]
    [InlineData("n8n", "/home/node/.n8n")]
    [InlineData("grafana", "/var/lib/grafana")]
    public async Task Stateful_components_keep_data_in_named_volumes(string name, string target)
    {
        await using var builder = await FleetModel.CreateAsync();

        var mount = Assert.Single(builder.Get(name).Annotations.OfType<ContainerMountAnnotation>(), m => m.Target == target);
        Assert.Equal(ContainerMountType.Volume, mount.Type);
        Assert.EndsWith($"-{name}-data", mount.Source);
    }

    [Fact]
    public async Task Traefik_routes_each_ui_on_its_localhost_name_from_the_model()
    {
        await using var builder = await FleetModel.CreateAsync();

        var yaml = Hosting.Components.Traefik.TraefikDynamicConfiguration.Render(builder.Resources);

        foreach (var (name, address) in new[] { ("grafana", "grafana:3000"), ("n8n", "n8n:5678"), ("pgadmin", "pgadmin:80"), ("redisinsight", "redisinsight:5540"), ("temporal-ui", "temporal-ui:8080"), ("prometheus", "prometheus:9090") })
        {
            Assert.Contains($"rule: Host(`{name}.localhost`)", yaml);
            Assert.Contains($"url: http://{address}", yaml);
        }
    }

    [Fact]
    public async Task Prometheus_scrapes_every_declared_metrics_endpoint()
    {
        await using var builder = await FleetModel.CreateAsync();

        var yaml = Hosting.Components.Monitoring.PrometheusConfiguration.Render(builder.Get<Hosting.Components.Monitoring.PrometheusResource>("prometheus"), builder.Resources);

        Assert.Contains("job_name: prometheus", yaml);
        Assert.Contains("- traefik:8080", yaml);
        Assert.Contains("- n8n:5678", yaml);
        Assert.Contains("- temporal:9464", yaml);
        Assert.Contains("- grafana:3000", yaml);
    }

    [Fact]
    public async Task Every_image_is_pinned_to_a_tag_other_than_latest()
    {
        await using var builder = await FleetModel.CreateAsync();

        foreach (var container in builder.Resources.OfType<ContainerResource>())
        {
            var image = builder.Image(container.Name);
            Assert.False(string.IsNullOrEmpty(image.Tag), container.Name);
            Assert.NotEqual("latest", image.Tag);
            Assert.Equal("docker.io", image.Registry);
        }
    }

    [Fact]
    public async Task PgAdmin_listens_on_ipv4_any_address()
    {
        var env = await EnvironmentOf("pgadmin");

        Assert.Equal("0.0.0.0", env["PGADMIN_LISTEN_ADDRESS"]);
    }

    [Fact]
    public async Task Temporal_ui_sends_its_csrf_cookie_over_plain_http_locally_only()
    {
        await using var local = await FleetModel.CreateAsync();
#pragma warning disable CS0618
        var run = await Assert.IsAssignableFrom<IResourceWithEnvironment>(local.Get("temporal-ui")).GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
#pragma warning restore CS0618
        var published = await EnvironmentOf("temporal-ui");

        Assert.Equal("true", run["TEMPORAL_CSRF_COOKIE_INSECURE"]);
        Assert.False(published.ContainsKey("TEMPORAL_CSRF_COOKIE_INSECURE"));
    }
}
