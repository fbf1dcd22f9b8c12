// A service on the fleet-infra stack: ServiceDefaults (telemetry, /health, /alive) and Aspire's client integrations,
// which read ConnectionStrings:appdb and ConnectionStrings:redis - set by the AppHost's WithReference locally and by
// the published Deployment in the cluster (docs/adding-a-service.md).
using FleetInfra.Samples.Api;
using Npgsql;
using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("appdb");   // NpgsqlDataSource, health check, traces and metrics
// Locally Redis speaks TLS with the ASP.NET Core development certificate; Aspire makes this process trust it
// (certificate trust: SSL_CERT_DIR, https://aspire.dev/app-host/certificate-trust). In the cluster it is plain TCP.
builder.AddRedisClient("redis");         // IConnectionMultiplexer, health check, traces

var app = builder.Build();
app.MapDefaultEndpoints();

// Writes a row in appdb and a key in Redis, then reads both back.
app.MapPost("/roundtrip", async (NpgsqlDataSource db, IConnectionMultiplexer redis, ILogger<RoundTrip> logger, CancellationToken ct) =>
{
    var id = Guid.NewGuid();
    var value = $"written at {DateTimeOffset.UtcNow:O}";

    await using (var create = db.CreateCommand(
        "CREATE TABLE IF NOT EXISTS sample_roundtrip (id uuid PRIMARY KEY, value text NOT NULL, written timestamptz NOT NULL DEFAULT now())"))
    {
        await create.ExecuteNonQueryAsync(ct);
    }

    await using (var insert = db.CreateCommand("INSERT INTO sample_roundtrip (id, value) VALUES ($1, $2)"))
    {
        insert.Parameters.Add(new() { Value = id });
        insert.Parameters.Add(new() { Value = value });
        await insert.ExecuteNonQueryAsync(ct);
    }

    string? fromDatabase;
    await using (var select = db.CreateCommand("SELECT value FROM sample_roundtrip WHERE id = $1"))
    {
        select.Parameters.Add(new() { Value = id });
        fromDatabase = (string?)await select.ExecuteScalarAsync(ct);
    }

    var cache = redis.GetDatabase();
    var key = $"sample:roundtrip:{id}";
    await cache.StringSetAsync(key, value, TimeSpan.FromMinutes(10));
    string? fromCache = await cache.StringGetAsync(key);

    logger.LogInformation("Round trip {Id}: database {Database}, cache {Cache}", id, fromDatabase == value, fromCache == value);
    return new RoundTrip(id, value, fromDatabase, fromCache);
});

app.Run();
