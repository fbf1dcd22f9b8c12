using FleetInfra.Hosting.Configuration;

namespace FleetInfra.Benchmarks.DataLayerStart;

/// <summary>
/// The peer a user would write by hand: a plain Aspire AppHost with the same three containers (Aspire's own
/// <c>AddPostgres</c> with the same three databases, <c>AddRedis</c> with a password, Prometheus as a container with
/// the same arguments, configuration file and <c>/-/ready</c> health check), data volumes, the same images - and no
/// waves. WaitFor edges: none, which is what the FleetInfra data layer has once the rest is excluded (postgres and
/// redis wait only for waves that are empty then, prometheus for none), so both models start the three at once.
/// Hosted like the FleetInfra child, which goes through <c>DistributedApplicationTestingBuilder.CreateAsync</c>: its own
/// process, the AppHost project's DCP settings and the settings that testing host applies (Aspire.Hosting.Testing
/// DistributedApplicationFactory.ConfigureBuilder: dashboard off, resource logging on, <c>DcpPublisher:RandomizePorts</c>,
/// <c>DcpPublisher:WaitForResourceCleanup</c>, the 30 s runtime initialisation timeout) - so the two differ only in their
/// model. (<c>DistributedApplicationTestingBuilder.Create</c> would need an AppHost project as entry assembly.) With persistent set, the three containers outlive the process, as
/// FleetInfra's data layer does under <c>FleetInfra:Lifetime=Persistent</c>: the plain peer's own warm restart.
/// </summary>
internal static class PlainAspireAppHost
{
    public static Task<DistributedApplication> BuildAsync(bool persistent, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string[] args =
        [
            $"Parameters:postgres-password={Environment.GetEnvironmentVariable("FLEETINFRA_BENCH_POSTGRES_PASSWORD")}",
            $"Parameters:redis-password={Environment.GetEnvironmentVariable("FLEETINFRA_BENCH_REDIS_PASSWORD")}",
        ];
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args =
            [
                .. args,
                "DcpPublisher:ContainerRuntimeInitializationTimeout=00:00:30",
                "DcpPublisher:RandomizePorts=true",
                "DcpPublisher:WaitForResourceCleanup=true",
            ],
            AssemblyName = "FleetInfra.AppHost",
            DisableDashboard = true,
            EnableResourceLogging = true,
        });
        var lifetime = persistent ? ContainerLifetime.Persistent : ContainerLifetime.Session;
        var images = BenchNames.Images().ToDictionary(i => i.Key, i => ImageReference.TryParse(i.Value, out var r) ? r! : throw new InvalidOperationException($"'{i.Value}' is not an image reference."));

        var postgres = builder.AddPostgres("postgres", password: builder.AddParameter("postgres-password", secret: true))
            .WithImageRegistry(images["postgres"].Registry).WithImage(images["postgres"].Image, images["postgres"].Tag ?? "latest")
            .WithDataVolume(BenchNames.PlainVolume("postgres"))
            .WithContainerName(BenchNames.PlainContainer("postgres")).WithLifetime(lifetime);
        postgres.AddDatabase("appdb");
        postgres.AddDatabase("temporal-db", "temporal");
        postgres.AddDatabase("temporal-visibility-db", "temporal_visibility");

        builder.AddRedis("redis", password: builder.AddParameter("redis-password", secret: true))
            .WithImageRegistry(images["redis"].Registry).WithImage(images["redis"].Image, images["redis"].Tag ?? "latest")
            .WithDataVolume(BenchNames.PlainVolume("redis"))
            .WithContainerName(BenchNames.PlainContainer("redis")).WithLifetime(lifetime);

        builder.AddContainer("prometheus", images["prometheus"].Image, images["prometheus"].Tag ?? "latest")
            .WithImageRegistry(images["prometheus"].Registry)
            .WithHttpEndpoint(targetPort: 9090, name: "http")
            .WithArgs("--config.file=/etc/prometheus/fleet-infra/prometheus.yml", "--storage.tsdb.path=/prometheus", "--web.enable-lifecycle")
            .WithContainerFiles("/etc/prometheus/fleet-infra", [new ContainerFile { Name = "prometheus.yml", Contents = DirectBaseline.PrometheusYaml }])
            .WithHttpHealthCheck("/-/ready", endpointName: "http")
            .WithContainerName(BenchNames.PlainContainer("prometheus")).WithLifetime(lifetime);

        return Task.FromResult(builder.Build());
    }
}
