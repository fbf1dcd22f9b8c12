using System.Diagnostics;
using System.Security.Cryptography;
using Xunit.Abstractions;

namespace FleetInfra.Tests.Integration;

/// <summary>
/// n8n on the model's appdb, on real containers: ready on an empty database with its tables created, ready again
/// on the same volume and key, and a clear failure (data untouched) with another key.
/// </summary>
[Collection(ContainersCollection.Name)]
[Trait("Category", "Integration")]
public sealed class N8nTests(ITestOutputHelper output)
{
    // postgres + appdb + n8n; everything else out (n8n's Traefik route and Prometheus scrape follow the exclusion).
    private static readonly string[] s_n8nOnly = [.. DataLayerApp.NotInDataLayer.Where(n => n != "n8n"), "redis", "prometheus"];

    // Tables n8n's migrations create: TypeORM's own `migrations` table, and the entities of n8n-io/n8n
    // packages/@n8n/db/src/entities (workflow-entity.ts WorkflowEntity -> `workflow_entity`; settings.ts
    // `@Entity() class Settings { key, value, loadOnStartup }` -> `settings`). Verified on the 2.41.1 image.
    private static readonly string[] s_n8nTables = ["migrations", "workflow_entity", "settings"];

    [ContainerFact]
    public async Task N8n_migrates_appdb_restarts_on_its_volume_and_refuses_another_encryption_key_without_touching_the_data()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(12));
        var key = RandomKey();
        var marker = Guid.NewGuid().ToString("N");

        // 1. Empty database: ready, and the migrations ran in appdb.
        var started = Stopwatch.StartNew();
        await using (var first = await StartAsync(key, ["n8n"], timeout.Token))
        {
            output.WriteLine($"[n8n] ready on an empty appdb after {started.Elapsed.TotalSeconds:0.0}s");
            await AssertReadyAsync(first, timeout.Token);
            Assert.Equal((long)s_n8nTables.Length, await CountN8nTablesAsync(first, timeout.Token));
            Assert.True((long)(await LifecycleTests.ScalarAsync(first, "select count(*) from migrations", timeout.Token))! > 0);
            // A row of n8n's own, to find again after the wrong key.
            await LifecycleTests.ExecuteAsync(first,
                $"insert into settings (key, value, \"loadOnStartup\") values ('fleetinfra.test-marker', '\"{marker}\"', false)", timeout.Token);
        }

        // 2. Same volume and key: ready again.
        started.Restart();
        await using (var second = await StartAsync(key, ["n8n"], timeout.Token))
        {
            output.WriteLine($"[n8n] ready again on the same volume after {started.Elapsed.TotalSeconds:0.0}s");
            await AssertReadyAsync(second, timeout.Token);
        }

        // 3. Another key on the same volume: n8n exits, and its log names the key.
        await using (var third = await StartAsync(RandomKey(), [], timeout.Token))
        {
            var failed = await third.Notifications.WaitForResourceAsync("n8n",
                e => e.Snapshot.State?.Text is "Exited" or "Finished" || e.Snapshot.State?.Text == KnownResourceStates.FailedToStart, timeout.Token);
            var logs = await ContainerLogsAsync(failed.Snapshot);
            output.WriteLine($"[n8n] with another key: {failed.Snapshot.State?.Text}, exit code {failed.Snapshot.ExitCode}; log:\n{logs}");
            Assert.NotEqual(0, failed.Snapshot.ExitCode);
            Assert.Contains("Mismatching encryption keys", logs, StringComparison.Ordinal);
            Assert.Contains("N8N_ENCRYPTION_KEY", logs, StringComparison.Ordinal);
            Assert.Contains("/home/node/.n8n/config", logs, StringComparison.Ordinal);
        }

        // 4. The original key again: ready, with the tables and the row written before.
        await using var fourth = await StartAsync(key, ["n8n"], timeout.Token);
        await AssertReadyAsync(fourth, timeout.Token);
        Assert.Equal((long)s_n8nTables.Length, await CountN8nTablesAsync(fourth, timeout.Token));
        Assert.Equal($"\"{marker}\"", await LifecycleTests.ScalarAsync(fourth, "select value from settings where key = 'fleetinfra.test-marker'", timeout.Token));
    }

    private Task<DataLayerApp> StartAsync(string key, string[] healthy, CancellationToken cancellationToken) =>
        DataLayerApp.StartAsync(output, healthy, s_n8nOnly, [$"Parameters:n8n-encryption-key={key}"], cancellationToken: cancellationToken);

    private static async Task AssertReadyAsync(DataLayerApp stack, CancellationToken cancellationToken)
    {
        using var http = stack.App.CreateHttpClient("n8n", "http");
        using var response = await http.GetAsync(new Uri("/healthz/readiness", UriKind.Relative), cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<long> CountN8nTablesAsync(DataLayerApp stack, CancellationToken cancellationToken) =>
        (long)(await LifecycleTests.ScalarAsync(stack,
            $"select count(*) from information_schema.tables where table_schema = 'public' and table_name in ({string.Join(", ", s_n8nTables.Select(t => $"'{t}'"))})",
            cancellationToken))!;

    // n8n 2.41.1 throws "Mismatching encryption keys ... N8N_ENCRYPTION_KEY env var" from InstanceSettings.loadOrCreate
    // (n8n-io/n8n packages/core/src/instance-settings/instance-settings.ts) while its CLI loads (dist/crash-journal.js):
    // the message and stack go to stderr, stdout only says 'Failed to load command "start"'. Read both, as `docker logs` does.
    private static async Task<string> ContainerLogsAsync(CustomResourceSnapshot snapshot)
    {
        var id = (string)snapshot.Properties.Single(p => p.Name == "container.id").Value!;
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") ?? "docker";
        using var process = Process.Start(new ProcessStartInfo(runtime, ["logs", id]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await stdout + await stderr;
    }

    private static string RandomKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
}
