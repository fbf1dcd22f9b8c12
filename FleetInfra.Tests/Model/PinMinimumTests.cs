using System.Text.RegularExpressions;
using FleetInfra.Hosting.Components.Monitoring;
using FleetInfra.Hosting.Components.PgAdmin;
using FleetInfra.Hosting.Components.Postgres;
using FleetInfra.Hosting.Components.Redis;
using FleetInfra.Hosting.Components.RedisInsight;
using FleetInfra.Hosting.Components.Temporal;
using FleetInfra.Hosting.Components.Traefik;

namespace FleetInfra.Tests.Model;

/// <summary>
/// No pin goes back behind the release that fixed a known critical or high advisory (issue 19), and the pins that must
/// move together do.
/// </summary>
public sealed class PinMinimumTests
{
    public static TheoryData<string, string, string> Minimums() => new()
    {
        // pin, its value, the first release past every critical/high advisory checked (see the pin's remarks)
        { "postgres", PostgresContainerImageTags.Tag, "17.10" },
        { "redis", RedisContainerImageTags.Tag, "7.4.7" },
        { "pgadmin", PgAdminContainerImageTags.Tag, "9.17" },
        { "temporal", TemporalContainerImageTags.ServerTag, "1.29.5" },
        { "traefik", TraefikContainerImageTags.Tag.TrimStart('v'), "3.6.0" },
        { "traefik chart", TraefikChart.Chart.Version, "37.3.0" },
        { "grafana", GrafanaContainerImageTags.Tag, "12.4.2" },
        { "prometheus", PrometheusContainerImageTags.Tag.TrimStart('v'), "3.0.0" },
    };

    [Theory]
    [MemberData(nameof(Minimums))]
    public void Pin_is_at_least_the_fixed_release(string pin, string value, string minimum)
    {
        Assert.True(Version.Parse(value) >= Version.Parse(minimum), $"{pin} {value} is older than {minimum}");
    }

    [Fact]
    public void Temporal_stays_one_1_29_set()
    {
        var server = Version.Parse(TemporalContainerImageTags.ServerTag);

        Assert.Equal(new Version(1, 29), new Version(server.Major, server.Minor));
        // admin-tools of the 1.29 line: <server>-tctl-<tctl>-cli-<cli>, built for the same server patch.
        Assert.Matches($"^{Regex.Escape(TemporalContainerImageTags.ServerTag)}-tctl-\\d+\\.\\d+\\.\\d+-cli-\\d+\\.\\d+\\.\\d+$", TemporalContainerImageTags.AdminToolsTag);
    }

    [Fact]
    public void RedisInsight_is_a_patch_tag()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+$", RedisInsightContainerImageTags.Tag);
    }

    [Fact]
    public void CloudNativePg_operand_is_an_immutable_system_image_of_the_pinned_postgres()
    {
        // cloudnative-pg/postgres-containers README "Image Tags": MM.mm-TS-TYPE-OS, TS the build minute; plus the digest.
        var match = Regex.Match(PostgresContainerImageTags.CnpgTag, @"^(?<version>\d+\.\d+)-(?<ts>\d{12})-(?<type>[a-z]+)-(?<os>[a-z]+)@sha256:[0-9a-f]{64}$");

        Assert.True(match.Success, PostgresContainerImageTags.CnpgTag);
        Assert.Equal(PostgresContainerImageTags.Tag, match.Groups["version"].Value);
        // barmanObjectStore backups need barman-cloud in the image: only the system type carries it.
        Assert.Equal("system", match.Groups["type"].Value);
        Assert.Equal("bookworm", match.Groups["os"].Value);
    }
}
