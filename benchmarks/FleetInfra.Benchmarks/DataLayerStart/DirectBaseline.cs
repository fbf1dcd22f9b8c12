using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace FleetInfra.Benchmarks.DataLayerStart;

/// <summary>
/// The baseline: the same three images started with plain <c>docker run</c> - the environment, command lines and
/// volumes the AppHost gives them (read from <c>docker inspect</c> of its containers) - concurrently, then polled
/// every <see cref="PollInterval"/> until each answers a real request: PostgreSQL a <c>select 1</c> over TCP with
/// SCRAM authentication, Redis <c>AUTH</c> + <c>PING</c>, Prometheus <c>/-/ready</c>. This is the best a shell
/// script could do; everything the AppHost needs beyond it is orchestration overhead.
/// </summary>
internal sealed class DirectBaseline(string postgresPassword, string redisPassword, string workDirectory)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Prometheus' own scrape job, as the AppHost renders it when nothing else is scraped.</summary>
    public const string PrometheusYaml =
        "global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\nscrape_configs:\n- job_name: prometheus\n  metrics_path: /metrics\n  static_configs:\n  - targets:\n    - localhost:9090\n";

    /// <summary>Starts the three containers on fresh volumes; returns milliseconds from the first docker run to each resource ready.</summary>
    public async Task<Dictionary<string, double>> StartAsync(CancellationToken cancellationToken)
    {
        await RemoveAsync();
        var images = BenchNames.Images();
        var ports = BenchNames.DataLayer.ToDictionary(r => r, _ => FreePort());
        var config = Path.Combine(workDirectory, "prometheus");
        Directory.CreateDirectory(config);
        // Prometheus' own scrape job, as the AppHost renders it when nothing else is scraped.
        await File.WriteAllTextAsync(Path.Combine(config, "prometheus.yml"),
            PrometheusYaml,
            cancellationToken);

        var clock = Stopwatch.StartNew();
        var ready = new Dictionary<string, Task<double>>
        {
            ["postgres"] = RunThenPollAsync(clock, cancellationToken,
                ["run", "--detach", "--name", BenchNames.DirectContainer("postgres"),
                 "--env", "POSTGRES_HOST_AUTH_METHOD=scram-sha-256",
                 "--env", "POSTGRES_INITDB_ARGS=--auth-host=scram-sha-256 --auth-local=scram-sha-256",
                 "--env", "POSTGRES_USER=postgres", "--env", "POSTGRES_PASSWORD",
                 "--volume", $"{BenchNames.DirectVolume("postgres")}:/var/lib/postgresql/data",
                 "--publish", $"127.0.0.1:{ports["postgres"]}:5432", images["postgres"]],
                ct => PostgresReadyAsync(ports["postgres"], ct)),
            ["redis"] = RunThenPollAsync(clock, cancellationToken,
                ["run", "--detach", "--name", BenchNames.DirectContainer("redis"),
                 "--env", "REDIS_PASSWORD", "--entrypoint", "/bin/sh",
                 "--volume", $"{BenchNames.DirectVolume("redis")}:/data",
                 "--publish", $"127.0.0.1:{ports["redis"]}:6379", images["redis"],
                 "-c", "redis-server --requirepass $REDIS_PASSWORD --save 60 1"],
                ct => RedisReadyAsync(ports["redis"], ct)),
            ["prometheus"] = RunThenPollAsync(clock, cancellationToken,
                ["run", "--detach", "--name", BenchNames.DirectContainer("prometheus"),
                 "--volume", $"{config}:/etc/prometheus/fleet-infra:ro",
                 "--publish", $"127.0.0.1:{ports["prometheus"]}:9090", images["prometheus"],
                 "--config.file=/etc/prometheus/fleet-infra/prometheus.yml", "--storage.tsdb.path=/prometheus", "--web.enable-lifecycle"],
                ct => PrometheusReadyAsync(ports["prometheus"], ct)),
        };
        await Task.WhenAll(ready.Values);
        return ready.ToDictionary(r => r.Key, r => r.Value.Result);
    }

    /// <summary>Removes the baseline's containers and volumes.</summary>
    public static Task RemoveAsync() =>
        Docker.RemoveAsync(BenchNames.DataLayer.Select(BenchNames.DirectContainer), BenchNames.DataLayer.Select(BenchNames.DirectVolume));

    private async Task<double> RunThenPollAsync(Stopwatch clock, CancellationToken cancellationToken, string[] run, Func<CancellationToken, Task<bool>> probe)
    {
        // Passwords reach docker through its environment (`--env NAME`), never on a command line.
        var start = new ProcessStartInfo(Docker.Runtime, run) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["POSTGRES_PASSWORD"] = postgresPassword;
        start.Environment["REDIS_PASSWORD"] = redisPassword;
        using (var process = Process.Start(start)!)
        {
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"docker {run[0]} {run[3]} failed: {await stderr}");
            }
        }

        while (!await probe(cancellationToken))
        {
            await Task.Delay(PollInterval, cancellationToken);
        }

        return clock.Elapsed.TotalMilliseconds;
    }

    private async Task<bool> PostgresReadyAsync(int port, CancellationToken cancellationToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = "postgres", Password = postgresPassword, Database = "postgres",
            Pooling = false, Timeout = 2,
        }.ConnectionString;
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select 1", connection);
            return (int?)await command.ExecuteScalarAsync(cancellationToken) == 1;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or SocketException or TimeoutException or InvalidOperationException)
        {
            return false;
        }
    }

    // RESP by hand: AUTH and PING in one round trip, no client library start-up in the measurement.
    private async Task<bool> RedisReadyAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            var request = $"*2\r\n$4\r\nAUTH\r\n${Encoding.UTF8.GetByteCount(redisPassword)}\r\n{redisPassword}\r\n*1\r\n$4\r\nPING\r\n";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(request), timeout.Token);
            var reply = new StringBuilder();
            var buffer = new byte[256];
            while (!reply.ToString().Contains("+PONG\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0 || reply.ToString().StartsWith('-'))
                {
                    return false;
                }

                reply.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }

            return reply.ToString().StartsWith("+OK\r\n", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(2) };

    private static async Task<bool> PrometheusReadyAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s_http.GetAsync(new Uri($"http://127.0.0.1:{port}/-/ready"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
