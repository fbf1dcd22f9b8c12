using FleetInfra.Hosting.Publishing;
using FleetInfra.Tests.Infrastructure;
using k8s.Models;
using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetInfra.Tests.Publishing;

/// <summary>The publish lint on models broken on purpose: each problem names the object, its wave and the fix.</summary>
public class PublishLintTests
{
    private static async Task<FluxLintException> LintFailureAsync(Action<IDistributedApplicationTestingBuilder> breakModel)
        => await Assert.ThrowsAsync<FluxLintException>(() => FleetModel.PublishTreeAsync(breakModel));

    private static void Customize(IDistributedApplicationTestingBuilder builder, string component, Action<FluxComponentManifests> change) =>
        builder.Get(component).Annotations.Add(new FluxManifestsAnnotation(change));

    [Fact]
    public async Task The_real_model_passes_the_lint()
    {
        var tree = await FleetModel.PublishTreeAsync();

        Assert.Equal(["development", "production"], tree.Builds.Select(b => b.Cluster.Name));
    }

    [Fact]
    public async Task A_workload_in_a_namespace_made_by_a_downstream_wave_fails_naming_object_wave_and_fix()
    {
        var failure = await LintFailureAsync(b => b.Get("localstack").Annotations.Add(new KubernetesNamespaceAnnotation("fleet-infra")));

        var problem = Assert.Single(failure.Problems, p => p.StartsWith("Deployment fleet-infra/localstack ", StringComparison.Ordinal));
        Assert.Contains("(wave 'infrastructure-core', component 'localstack', cluster 'development')", problem);
        Assert.Contains("namespace 'fleet-infra' is created by wave 'infrastructure-config', which wave 'infrastructure-core' does not depend on", problem);
        Assert.Contains("Fix: make 'infrastructure-core' depend on 'infrastructure-config'", problem);
    }

    [Fact]
    public async Task A_service_with_a_wrong_selector_fails()
    {
        var failure = await LintFailureAsync(b => Customize(b, "redisinsight", m =>
            m.Get<V1Service>()!.Spec.Selector["app.kubernetes.io/name"] = "redis-insight"));

        var problem = Assert.Single(failure.Problems, p => p.StartsWith("Service fleet-infra/redisinsight ", StringComparison.Ordinal) && p.Contains("'development'"));
        Assert.Contains("wave 'database-ui'", problem);
        Assert.Contains("selector {app.kubernetes.io/name=redis-insight, app.kubernetes.io/part-of=fleet-infra} matches no workload's pods in namespace 'fleet-infra'", problem);
        Assert.Contains("Fix: select the labels of the workload's pod template", problem);
    }

    [Fact]
    public async Task A_missing_secret_fails()
    {
        // pgAdmin's credentials lose their ExternalSecrets: nothing produces the Secret the Deployment reads.
        var failure = await LintFailureAsync(b => Customize(b, "pgadmin", m => m.Objects.RemoveAll(o => o.Kind == "ExternalSecret")));

        var problem = Assert.Single(failure.Problems, p => p.StartsWith("Deployment fleet-infra/pgadmin ", StringComparison.Ordinal) && p.Contains("pgadmin-password") && p.Contains("'production'"));
        Assert.Contains("wave 'database-ui'", problem);
        Assert.Contains("env PGADMIN_DEFAULT_PASSWORD of container 'pgadmin' references Secret 'fleet-infra/pgadmin-password', which nothing creates", problem);
        Assert.Contains("Fix: add an ExternalSecret for it (seed the value in Secrets Manager through the model's secret source) or use credentials the cluster generates.", problem);
    }

    [Fact]
    public async Task An_api_version_clusters_no_longer_serve_fails()
    {
        var failure = await LintFailureAsync(b => Customize(b, "redis", m =>
        {
            foreach (var externalSecret in m.Objects.Where(o => o.Kind == "ExternalSecret"))
            {
                externalSecret.ApiVersion = "external-secrets.io/v1beta1";
            }
        }));

        Assert.Contains(failure.Problems, p => p.StartsWith("ExternalSecret fleet-infra/redis-password (wave 'database-workloads'", StringComparison.Ordinal)
            && p.Contains("apiVersion 'external-secrets.io/v1beta1' is no longer served. Fix: use external-secrets.io/v1"));
    }

    [Fact]
    public async Task An_api_version_an_operator_retired_fails_with_the_replacement_its_chart_names()
    {
        // Traefik's chart, not the lint, knows that traefik.containo.us became traefik.io.
        var failure = await LintFailureAsync(b => Customize(b, "redisinsight", m => m.Objects.Single(o => o.Kind == "IngressRoute").ApiVersion = "traefik.containo.us/v1alpha1"));

        Assert.Contains(failure.Problems, p => p.StartsWith("IngressRoute fleet-infra/redisinsight (wave 'database-ui'", StringComparison.Ordinal)
            && p.Contains("apiVersion 'traefik.containo.us/v1alpha1' is no longer served. Fix: use traefik.io/v1alpha1."));
    }

    [Fact]
    public async Task A_name_that_is_not_dns_1123_fails()
    {
        var failure = await LintFailureAsync(b => Customize(b, "n8n", m => m.Get<V1Deployment>()!.Metadata.Name = "N8n_Workflows"));

        Assert.Contains(failure.Problems, p => p.StartsWith("Deployment fleet-infra/N8n_Workflows (wave 'services'", StringComparison.Ordinal)
            && p.Contains("is not a DNS-1123 subdomain"));
    }

    [Fact]
    public async Task A_published_secret_object_fails()
    {
        var failure = await LintFailureAsync(b => Customize(b, "redis", m => m.Objects.Add(new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = "redis-inline", NamespaceProperty = "fleet-infra" },
            StringData = new Dictionary<string, string> { ["password"] = "not-in-git" },
        })));

        Assert.Contains(failure.Problems, p => p.StartsWith("Secret fleet-infra/redis-inline (wave 'database-workloads'", StringComparison.Ordinal)
            && p.Contains("Fix: produce it with an ExternalSecret (seed the value in Secrets Manager through the model's secret source) or use credentials the cluster generates."));
    }

    [Theory]
    [InlineData("aws-external-secrets-role-arn", "the IAM role ARN of External Secrets' service account")]
    [InlineData("aws-postgres-backup-role-arn", "the IAM role ARN of the PostgreSQL instances' service account")]
    public async Task Publishing_production_without_an_iam_role_fails_naming_the_parameter(string parameter, string what)
    {
        // Named before anything runs, with every other missing one (PublishParameters.Check).
        var failure = await Assert.ThrowsAsync<Hosting.Configuration.FleetInfraConfigurationException>(() => FleetModel.PublishTreeAsync(args: [$"Parameters:{parameter}="]));

        var line = Assert.Single(failure.Lines);
        Assert.StartsWith($"Parameters:{parameter} ({what}", line, StringComparison.Ordinal);
        Assert.Contains($"Parameters__{parameter}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_root_container_without_privilege_escalation_on_a_port_below_1024_fails()
    {
        // pgAdmin back on its image's default port 80 (no PGADMIN_LISTEN_PORT): crash-loops on containerd 1.x and CRI-O.
        var failure = await LintFailureAsync(b => Customize(b, "pgadmin", m => m.Get<V1Deployment>()!.Spec.Template.Spec.Containers[0].Ports[0].ContainerPort = 80));

        var problem = Assert.Single(failure.Problems, p => p.StartsWith("Deployment fleet-infra/pgadmin ", StringComparison.Ordinal) && p.Contains("'development'"));
        Assert.Contains("(wave 'database-ui', component 'pgadmin', cluster 'development')", problem);
        Assert.Contains("container 'pgadmin' runs as non-root (uid 5050) with allowPrivilegeEscalation: false but listens on port 80", problem);
        Assert.Contains("Fix: move it to a port of 1024 or above (images usually have a listen-port variable) and let the Service map the public port.", problem);
    }

    [Fact]
    public async Task A_plain_http_route_in_a_tls_cluster_or_a_missing_middleware_fails()
    {
        var failure = await LintFailureAsync(b => Customize(b, "redisinsight", m =>
        {
            if (m.Cluster == "production")
            {
                var route = (Hosting.Publishing.Manifests.CustomObject<Hosting.Components.Traefik.IngressRouteSpec>)m.Objects.Single(o => o.Kind == "IngressRoute");
                route.Spec = route.Spec with { EntryPoints = ["web"], Tls = null };
                m.Objects.RemoveAll(o => o.Kind == "Middleware");
            }
        }));

        var problems = failure.Problems.Where(p => p.StartsWith("IngressRoute fleet-infra/redisinsight ", StringComparison.Ordinal)).ToList();
        Assert.All(problems, p => Assert.Contains("(wave 'database-ui', component 'redisinsight', cluster 'production')", p));
        Assert.Contains(problems, p => p.Contains("the route serves plain HTTP (entryPoints web, no tls) in a cluster that serves TLS") && p.Contains("Fix: route on the 'websecure' entrypoint with tls (as the route writer does)."));
        Assert.Contains(problems, p => p.Contains("middleware 'redisinsight-basic-auth' does not exist in namespace 'fleet-infra'") && p.Contains("Fix: create the Middleware in the route's namespace"));
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public async Task A_release_whose_retries_outlast_its_wave_fails()
    {
        // The release's timeout as long as its wave's, with one retry: the wave fails while the release still retries.
        var failure = await LintFailureAsync(b => Customize(b, "cnpg-operator", m =>
        {
            var release = (Hosting.Publishing.Manifests.CustomObject<Hosting.Publishing.Manifests.HelmReleaseSpec>)m.Objects.Single(o => o.Kind == "HelmRelease");
            release.Spec = release.Spec with { Timeout = "10m", Uninstall = null };
        }));

        var problem = Assert.Single(failure.Problems, p => p.StartsWith("HelmRelease cnpg-system/cnpg ", StringComparison.Ordinal) && p.Contains("'production'"));
        Assert.Contains("(wave 'infrastructure-operators', component 'cnpg-operator', cluster 'production')", problem);
        // One retry: two attempts and the uninstall between them, each up to the timeout (t × (2r + 1)).
        Assert.Equal(1, Hosting.Publishing.Workloads.HelmReleaseWriter.RemediationRetries);
        Assert.Contains("install: timeout 10m × (remediation retries 1 + 1) + 1 × uninstall wait 10m = 30m exceeds the timeout 10m of wave 'infrastructure-operators'", problem);
        Assert.Contains("Fix: keep every attempt and every remediation wait within the wave's timeout: a release timeout of at most 3m20s (t × (2r + 1))", problem);
    }

    [Fact]
    public async Task The_publish_step_fails_and_writes_nothing_when_the_lint_fails()
    {
        var output = Path.Combine(Path.GetTempPath(), $"fleetinfra-lint-{Guid.NewGuid():N}");
        try
        {
            await using var builder = await FleetModel.CreateAsync("--operation", "publish", "--step", "publish", "--output-path", output);
            builder.Get("localstack").Annotations.Add(new KubernetesNamespaceAnnotation("fleet-infra"));
            var log = new CollectingLoggerProvider();
            builder.Services.AddLogging(l => l.AddProvider(log));
            await using var app = await builder.BuildAsync(TestContext.Timeout);

            await app.RunAsync(TestContext.Timeout);

            Assert.False(File.Exists(Path.Combine(output, "base", "kustomization.yaml")), "a tree that failed the lint was written");
            Assert.Contains(log.Messages, m => m.Contains("Deployment fleet-infra/localstack (wave 'infrastructure-core'", StringComparison.Ordinal));
            Assert.Equal(1, Environment.ExitCode); // `dotnet run … --step publish` and `aspire publish` exit non-zero
        }
        finally
        {
            Environment.ExitCode = 0; // the test host's own exit code must not carry the failure

            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}

/// <summary>Keeps every log message (with its exception) so a test can read what a pipeline step reported.</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(Messages);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue($"{formatter(state, exception)} {exception}");
    }
}

/// <summary>FleetInfra configuration reaches the published tree.</summary>
public class PublishingConfigurationTests
{
    [Fact]
    public async Task Registry_and_image_overrides_apply_to_the_published_images()
    {
        var tree = await FleetModel.PublishTreeAsync(args: ["FleetInfra:Registry=registry.example.com:5000/mirror", "FleetInfra:Images:n8n=registry.example.com/n8n/custom:2.0.0"]);

        var objects = tree.Builds.First().Objects.Select(o => o.Value).ToList();
        string Image(string name) => objects.Select(FluxLint.PodSpecOf).OfType<V1PodSpec>().SelectMany(p => p.Containers).First(c => c.Name == name).Image;
        Assert.Equal("registry.example.com/n8n/custom:2.0.0", Image("n8n"));
        Assert.Equal("registry.example.com:5000/mirror/library/redis:7.4.11", Image("redis"));
        Assert.Equal("registry.example.com:5000/mirror/cloudnative-pg/postgresql:17.10-202608100833-system-bookworm@sha256:768906f10c8a39983e534dc3d91b2b0e6cba37c6a664763258bb5f9bbfb18672",
            objects.OfType<Hosting.Publishing.Manifests.CustomObject<Hosting.Components.Postgres.CnpgClusterSpec>>().Single().Spec.ImageName);
    }
}
