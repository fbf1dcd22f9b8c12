using System.Diagnostics;
using System.Text.Json.Nodes;
using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Waves;
using FleetInfra.Tests.Infrastructure;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace FleetInfra.Tests.Publishing;

/// <summary>
/// .NET projects in a wave are published generically: the sample (sample-api, from Program.cs) and a second project
/// declared here with other references get the same Deployment, probes, image parameter, wiring from the cluster's
/// Secrets and network policies per referenced port.
/// </summary>
public sealed class ServicePublishTests(ITestOutputHelper output)
{
    private const string OrdersImage = "registry.example.com/team/orders-api:1.4.2";

    /// <summary>The sample's project file: a real project for AddProject (the model is only built, nothing runs).</summary>
    private static readonly string SampleProject = Path.GetFullPath(Path.Combine(Projects.FleetInfra_AppHost.ProjectPath, "..", "samples", "FleetInfra.Samples.Api", "FleetInfra.Samples.Api.csproj"));

    /// <summary>A second service: Temporal's database (a CNPG Database object, not the initdb one) and Temporal's gRPC address.</summary>
    private static void AddOrdersApi(IDistributedApplicationTestingBuilder builder) =>
        builder.AddProject("orders-api", SampleProject, launchProfileName: null)
            .WithHttpEndpoint(name: "http")
            .WithReference(builder.CreateResourceBuilder(builder.Get<PostgresDatabaseResource>("temporal-db")))
            .WithReference(builder.CreateResourceBuilder(builder.Get<ContainerResource>("temporal")).GetEndpoint("grpc"))
            .InWave(builder.CreateResourceBuilder(builder.Wave("services")));

    private static Task<FluxTree> PublishWithOrdersAsync() => FleetModel.PublishTreeAsync(AddOrdersApi, [$"Parameters:orders-api-image={OrdersImage}"]);

    [Fact]
    public async Task The_sample_is_a_deployment_in_its_wave_with_probes_on_the_service_defaults_endpoints_and_its_image_parameter()
    {
        var tree = await FleetModel.PublishTreeAsync();

        foreach (var build in tree.Builds)
        {
            var mine = build.Objects.Where(o => o.Component == "sample-api").ToList();
            Assert.All(mine, o => Assert.Equal("services", o.Wave));
            var deployment = Assert.IsType<V1Deployment>(Assert.Single(mine, o => o.Value.Kind == "Deployment").Value);
            AssertServiceWorkload(deployment, "ghcr.io/fleet-infra/sample-api:0.1.0"); // appsettings.json's Parameters:sample-api-image
            Assert.Equal(8080, Assert.Single(Assert.IsType<V1Service>(Assert.Single(mine, o => o.Value.Kind == "Service").Value).Spec.Ports).Port);
            Assert.Contains(build.Objects, o => o.Value is V1ServiceAccount { Metadata.Name: "sample-api", AutomountServiceAccountToken: false });
        }
    }

    [Fact]
    public async Task References_become_connection_strings_from_the_clusters_secrets_expanded_with_VAR()
    {
        var tree = await FleetModel.PublishTreeAsync();

        foreach (var build in tree.Builds)
        {
            var env = Container(build, "sample-api").Env;
            // CloudNativePG's <cluster>-app Secret: the owner of every database here (CnpgClusterWriter.Owner).
            Assert.Equal("Host=postgres-rw;Port=5432;Username=$(FLEETINFRA_SECRET_POSTGRES_APP_USERNAME);Password=$(FLEETINFRA_SECRET_POSTGRES_APP_PASSWORD);Database=appdb",
                Value(env, "ConnectionStrings__appdb"));
            AssertSecretPartBefore(env, "FLEETINFRA_SECRET_POSTGRES_APP_USERNAME", "postgres-app", "username", "ConnectionStrings__appdb");
            AssertSecretPartBefore(env, "FLEETINFRA_SECRET_POSTGRES_APP_PASSWORD", "postgres-app", "password", "ConnectionStrings__appdb");
            // Redis: plain TCP in the cluster, the password from the ExternalSecret in the service's namespace.
            Assert.Equal("redis:6379,password=$(FLEETINFRA_SECRET_REDIS_PASSWORD_VALUE)", Value(env, "ConnectionStrings__redis"));
            AssertSecretPartBefore(env, "FLEETINFRA_SECRET_REDIS_PASSWORD_VALUE", "redis-password", "value", "ConnectionStrings__redis");
            Assert.Contains(build.Objects, o => o.Value.Kind == "ExternalSecret" && o.Value.Metadata.Name == "redis-password" && o.Value.Metadata.NamespaceProperty == "fleet-infra");
            // Aspire 13's per-property variables of a reference describe the local service (its user name): left out.
            Assert.DoesNotContain(env, e => e.Name.StartsWith("APPDB_", StringComparison.Ordinal) || e.Name.StartsWith("REDIS_", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Network_policies_admit_each_referencing_workload_on_the_referenced_port_only()
    {
        var tree = await PublishWithOrdersAsync();

        foreach (var build in tree.Builds)
        {
            Assert.Equal("5432", PortsFrom(build, "allow-postgres", "sample-api"));
            Assert.Equal("5432", PortsFrom(build, "allow-postgres", "orders-api"));
            Assert.Equal("6379", PortsFrom(build, "allow-redis", "sample-api"));
            Assert.Equal("none", PortsFrom(build, "allow-redis", "orders-api"));
            Assert.Equal("7233", PortsFrom(build, "allow-temporal", "orders-api"));
            // Existing references too: the UI and the namespace job use Temporal's gRPC port, only Prometheus scrapes 9464.
            Assert.Equal("7233", PortsFrom(build, "allow-temporal", "temporal-ui"));
            Assert.Equal("7233", PortsFrom(build, "allow-temporal", "temporal-namespace"));
            Assert.Equal("9464", PortsFrom(build, "allow-temporal", "prometheus"));
        }
    }

    [Fact]
    public async Task A_second_project_declared_in_memory_gets_the_same_treatment()
    {
        var tree = await PublishWithOrdersAsync();
        var schemas = new KubernetesSchemas(KubernetesSchemas.Locate());

        foreach (var build in tree.Builds)
        {
            var mine = build.Objects.Where(o => o.Component == "orders-api").ToList();
            Assert.All(mine, o => Assert.Equal("services", o.Wave));
            AssertServiceWorkload(Assert.IsType<V1Deployment>(Assert.Single(mine, o => o.Value.Kind == "Deployment").Value), OrdersImage);
            var env = Container(build, "orders-api").Env;
            // temporal is a CNPG Database object: no Secret of its own, the owner's credentials (postgres-app) with its name.
            Assert.Equal("Host=postgres-rw;Port=5432;Username=$(FLEETINFRA_SECRET_POSTGRES_APP_USERNAME);Password=$(FLEETINFRA_SECRET_POSTGRES_APP_PASSWORD);Database=temporal",
                Value(env, "ConnectionStrings__temporal-db"));
            Assert.Equal("http://temporal:7233", Value(env, "services__temporal__grpc__0"));
            foreach (var item in mine.Concat(build.Objects.Where(o => o.Value is V1ServiceAccount { Metadata.Name: "orders-api" })))
            {
                var document = JsonNode.Parse(KubernetesJson.Serialize(item.Value))!;
                Assert.Empty(schemas.Validate(document)); // strict: additionalProperties false wherever the schema lists properties
            }
        }
    }

    [Fact]
    public async Task No_literal_password_is_published_for_a_service()
    {
        var password = "ServiceFixturePassword8Zq4";
        var tree = await FleetModel.PublishTreeAsync(AddOrdersApi, [$"Parameters:orders-api-image={OrdersImage}", $"Parameters:redis-password={password}", $"Parameters:postgres-password={password}"]);

        foreach (var build in tree.Builds)
        {
            foreach (var item in build.Objects.Where(o => o.Component is "sample-api" or "orders-api"))
            {
                Assert.DoesNotContain(password, KubernetesJson.Serialize(item.Value), StringComparison.Ordinal);
            }

            // Every password in a value is a $(VAR) of a secretKeyRef.
            Assert.All(Container(build, "sample-api").Env.Concat(Container(build, "orders-api").Env),
                e => Assert.DoesNotMatch(@"(?i)password=(?!\$\(FLEETINFRA_SECRET_)", e.Value ?? ""));
        }
    }

    [Fact]
    public async Task A_project_without_its_image_fails_naming_the_parameter_and_the_fix()
    {
        // Declared after the AppHost's model was completed (the in-memory test builder), so the publisher's own check names
        // it; a real publish names it before anything runs (Publishing_with_an_empty_image_parameter_exits_1_naming_it).
        var failure = await Assert.ThrowsAsync<FluxPublishException>(() => FleetModel.PublishTreeAsync(AddOrdersApi));

        Assert.Contains("'orders-api' (wave 'services'): parameter 'orders-api-image' (its container image) has no value.", failure.Message);
        Assert.Contains("dotnet publish -t:PublishContainer", failure.Message);
        Assert.Contains("Parameters:orders-api-image=<registry>/<repository>:<tag>", failure.Message);
    }

    [Fact]
    public async Task A_local_run_has_no_image_parameter()
    {
        await using var builder = await FleetModel.CreateAsync();

        Assert.DoesNotContain(builder.Resources.OfType<ParameterResource>(), p => p.Name == "sample-api-image");
    }

    [Fact]
    public async Task A_project_or_container_in_no_wave_stops_publishing_naming_it_and_the_fix()
    {
        var failure = await Assert.ThrowsAsync<FluxPublishException>(() => FleetModel.PublishTreeAsync(b =>
        {
            b.AddProject("forgotten-api", SampleProject, launchProfileName: null).WithHttpEndpoint(name: "http");
            b.AddContainer("forgotten-echo", "hashicorp/http-echo", "1.0.0");
        }));

        Assert.Contains("'forgotten-api' is in no wave, so nothing deploys it. Fix: add .InWave(<wave>)", failure.Message);
        Assert.Contains("'forgotten-echo' is in no wave", failure.Message);
    }

    [Fact]
    public async Task Publishing_with_an_empty_image_parameter_exits_1_naming_it()
    {
        using var folder = new TempFolder();
        var appHost = Path.Combine(AppContext.BaseDirectory, "FleetInfra.AppHost.dll");
        var start = new ProcessStartInfo("dotnet",
        [
            appHost, "--operation", "publish", "--step", "publish", "--output-path", folder.Path, FleetModel.NoDeploymentState, "Parameters:sample-api-image=",
            .. FleetModel.RoleArns.Select(r => $"Parameters:{r.Key}={r.Value}"),
        ])
        {
            WorkingDirectory = Projects.FleetInfra_AppHost.ProjectPath,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        var text = await stdout + await stderr;
        output.WriteLine(text);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("fail: FleetInfra: Parameters:sample-api-image (its container image", text);
        Assert.DoesNotContain("   at ", text); // one line, no stack trace
        Assert.False(File.Exists(Path.Combine(folder.Path, "base", "kustomization.yaml")));
    }

    private static void AssertServiceWorkload(V1Deployment deployment, string image)
    {
        var pod = deployment.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        Assert.Equal(image, container.Image);
        Assert.Equal(("/health", 8080), (container.ReadinessProbe.HttpGet.Path, int.Parse(container.ReadinessProbe.HttpGet.Port.Value)));
        Assert.Equal(("/alive", 8080), (container.LivenessProbe.HttpGet.Path, int.Parse(container.LivenessProbe.HttpGet.Port.Value)));
        Assert.Equal(8080, Assert.Single(container.Ports).ContainerPort);
        Assert.Equal(deployment.Metadata.Name, pod.ServiceAccountName);
        Assert.True(container.SecurityContext.RunAsNonRoot);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal("RuntimeDefault", container.SecurityContext.SeccompProfile.Type);
        Assert.Equal(1654, container.SecurityContext.RunAsUser);
        Assert.NotNull(container.Resources.Requests["cpu"]);
        Assert.NotNull(container.Resources.Limits["memory"]);
    }

    private static V1Container Container(FluxBuild build, string component) =>
        Assert.Single(Assert.IsType<V1Deployment>(Assert.Single(build.Objects, o => o.Component == component && o.Value.Kind == "Deployment").Value).Spec.Template.Spec.Containers);

    private static string? Value(IList<V1EnvVar> env, string name) => Assert.Single(env, e => e.Name == name).Value;

    private static void AssertSecretPartBefore(IList<V1EnvVar> env, string name, string secret, string key, string user)
    {
        var part = Assert.Single(env, e => e.Name == name);
        Assert.Equal((secret, key), (part.ValueFrom.SecretKeyRef.Name, part.ValueFrom.SecretKeyRef.Key));
        Assert.True(env.IndexOf(part) < env.IndexOf(env.Single(e => e.Name == user)), $"{name} must be defined before {user} expands it.");
    }

    /// <summary>The ports policy <paramref name="policy"/> admits pods of <paramref name="source"/> on ("5432,8000"); "none" when it does not admit them.</summary>
    private static string PortsFrom(FluxBuild build, string policy, string source)
    {
        var networkPolicy = Assert.IsType<V1NetworkPolicy>(Assert.Single(build.Objects, o => o.Value.Kind == "NetworkPolicy" && o.Value.Metadata.Name == policy).Value);
        var rules = networkPolicy.Spec.Ingress.Where(r => r.FromProperty?.Any(p => p.PodSelector?.MatchLabels is { } labels && labels.TryGetValue("app.kubernetes.io/name", out var name) && name == source) == true).ToList();
        return rules.Count == 0 ? "none" : string.Join(',', rules.SelectMany(r => r.Ports.Select(p => int.Parse(p.Port.Value))).Order());
    }
}
