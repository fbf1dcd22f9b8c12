using FleetInfra.Hosting.Configuration;

namespace FleetInfra.Benchmarks.DataLayerStart;

/// <summary>
/// The peer a user would write by hand: a plain Aspire AppHost with the same three containers (Aspire's own
/// <c>AddPostgres</c> with the same three databases, <c>AddRedis</c> with a password, Prometheus as a container with
/// the same arguments, configuration file and <c>/-/ready</c> health check), data volumes, the same images - and no
/// waves. WaitFor edges: none, which is what the FleetInfra data layer has once the rest is excluded (postgres and
/// redis wait only for waves that are empty then, prometheus for none), so both models start the three at once.
/// Built like the FleetInfra child (its own process, dashboard off, the AppHost project's DCP settings).
/// </summary>
internal static class PlainAspireAppHost
{
    public static Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args =
            [
                $"Parameters:postgres-password={Environment.GetEnvironmentVariable("FLEETINFRA_BENCH_POSTGRES_PASSWORD")}",
                $"Parameters:redis-password={Environment.GetEnvironmentVariable("FLEETINFRA_BENCH_REDIS_PASSWORD")}",
            ],
            AssemblyName = "FleetInfra.AppHost",
            DisableDashboard = true,
        });
        var images = BenchNames.Images().ToDictionary(i => i.Key, i => ImageReference.TryParse(i.Value, out var r) ? r! : throw new InvalidOperationException($"'{i.Value}' is not an image reference."));

        var postgres = builder.AddPostgres("postgres", password: builder.AddParameter("postgres-password", secret: true))
            .WithImageRegistry(images["postgres"].Registry).WithImage(images["postgres"].Image, images["postgres"].Tag ?? "latest")
            .WithDataVolume(BenchNames.PlainVolume("postgres"))
            .WithContainerName(BenchNames.PlainContainer("postgres"));
        postgres.AddDatabase("appdb");
        postgres.AddDatabase("temporal-db", "temporal");
        postgres.AddDatabase("temporal-visibility-db", "temporal_visibility");

        builder.AddRedis("redis", password: builder.AddParameter("redis-password", secret: true))
            .WithImageRegistry(images["redis"].Registry).WithImage(images["redis"].Image, images["redis"].Tag ?? "latest")
            .WithDataVolume(BenchNames.PlainVolume("redis"))
            .WithContainerName(BenchNames.PlainContainer("redis"));

        builder.AddContainer("prometheus", images["prometheus"].Image, images["prometheus"].Tag ?? "latest")
            .WithImageRegistry(images["prometheus"].Registry)
            .WithHttpEndpoint(targetPort: 9090, name: "http")
            .WithArgs("--config.file=/etc/prometheus/fleet-infra/prometheus.yml", "--storage.tsdb.path=/prometheus", "--web.enable-lifecycle")
            .WithContainerFiles("/etc/prometheus/fleet-infra", [new ContainerFile { Name = "prometheus.yml", Contents = DirectBaseline.PrometheusYaml }])
            .WithHttpHealthCheck("/-/ready", endpointName: "http")
            .WithContainerName(BenchNames.PlainContainer("prometheus"));

        return Task.FromResult(builder.Build());
    }
}
