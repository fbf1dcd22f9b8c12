using FleetInfra.Tests.Infrastructure;
using Npgsql;

namespace FleetInfra.Tests.Integration;

/// <summary>The PostgreSQL CI runs is the version the model pins (17.10), not a stand-in of another major.</summary>
[Collection(ContainersCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresVersionTests(DataLayerFixture fixture) : IClassFixture<DataLayerFixture>
{
    [ContainerFact]
    public async Task Select_version_reports_the_pinned_postgres_version()
    {
        var stack = fixture.Stack ?? throw new InvalidOperationException("The data layer did not start.");
        var pinned = FleetInfra.Hosting.Components.Postgres.PostgresContainerImageTags.Tag;
        await using var connection = new NpgsqlConnection(await stack.ConnectionStringAsync("appdb", TestContext.Timeout));
        await connection.OpenAsync(TestContext.Timeout);
        await using var command = new NpgsqlCommand("select version()", connection);

        var version = (string)(await command.ExecuteScalarAsync(TestContext.Timeout))!;

        Assert.StartsWith($"PostgreSQL {pinned} ", version, StringComparison.Ordinal);
    }
}
