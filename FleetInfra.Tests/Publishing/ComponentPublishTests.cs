using FleetInfra.Hosting.Components.ClusterOnly;
using FleetInfra.Hosting.Components.Monitoring;
using FleetInfra.Hosting.Components;
using FleetInfra.Hosting.Probes;
using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Workloads;
using FleetInfra.Hosting.Waves;
using FleetInfra.Tests.Infrastructure;
using k8s.Models;

namespace FleetInfra.Tests.Publishing;

/// <summary>
/// The publisher is generic: a component's own publish annotation, else the generic workload of a container, else a
/// clear error. Components added in memory here use only their own builder calls.
/// </summary>
public class ComponentPublishTests
{
    private sealed class NothingToPublish(string name) : Resource(name);

    private static Task<FluxTree> PublishAsync(Action<IDistributedApplicationTestingBuilder> change) => FleetModel.PublishTreeAsync(change);

    private static IResourceBuilder<WaveResource> Wave(IDistributedApplicationTestingBuilder builder, string name) =>
        builder.CreateResourceBuilder(builder.Wave(name));

    [Theory]
    [InlineData("postgres")]
    [InlineData("redis")]
    [InlineData("localstack")]
    public async Task Components_with_their_own_cluster_form_declare_it_in_their_folder(string component)
    {
        await using var builder = await FleetModel.CreateAsync();

        Assert.Single(builder.Get(component).Annotations.OfType<FluxPublishAnnotation>());
    }

    [Fact]
    public async Task A_components_own_publish_annotation_replaces_the_generic_workload()
    {
        var tree = await PublishAsync(b => b.AddContainer("echo", "hashicorp/http-echo", "1.0.0")
            .WithHttpEndpoint(targetPort: 5678)
            .PublishAsFlux<ContainerResource>((echo, context) =>
                context.Add(echo, "echo.yaml", new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = context.Meta(echo, "echo-own-form") }))
            .InWave(Wave(b, "database-ui")));

        foreach (var build in tree.Builds)
        {
            var mine = build.Objects.Where(o => o.Component == "echo").ToList();
            Assert.Equal("database-ui", Assert.Single(mine, o => o.Value.Kind == "ConfigMap" && o.Value.Metadata.Name == "echo-own-form").Wave);
            Assert.DoesNotContain(mine, o => o.Value.Kind is "Deployment" or "StatefulSet");
        }
    }

    [Fact]
    public async Task A_container_without_its_own_form_gets_the_generic_workload()
    {
        var tree = await PublishAsync(b => b.AddContainer("echo", "hashicorp/http-echo", "1.0.0")
            .WithHttpEndpoint(targetPort: 5678)
            .InWave(Wave(b, "database-ui")));

        foreach (var build in tree.Builds)
        {
            var mine = build.Objects.Where(o => o.Component == "echo").Select(o => o.Value).ToList();
            var deployment = Assert.IsType<V1Deployment>(Assert.Single(mine, o => o.Kind == "Deployment"));
            Assert.Equal("docker.io/hashicorp/http-echo:1.0.0", Assert.Single(deployment.Spec.Template.Spec.Containers).Image);
            Assert.Contains(mine, o => o.Kind == "Service");
        }
    }

    [Fact]
    public async Task A_member_that_is_no_container_and_has_no_cluster_form_fails_naming_component_wave_and_fix()
    {
        var failure = await Assert.ThrowsAsync<FluxPublishException>(() => PublishAsync(b =>
            b.AddResource(new NothingToPublish("nothing")).InWave(Wave(b, "database-ui"))));

        Assert.Contains("'nothing' (wave 'database-ui') has nothing to publish", failure.Message);
        Assert.Contains("Fix: give it a chart with .WithHelmChart(", failure.Message);
    }

    [Fact]
    public async Task A_declared_cluster_service_is_what_consumers_dial_and_what_its_network_policy_selects()
    {
        var tree = await PublishAsync(b =>
        {
            var ui = Wave(b, "database-ui");
            var store = b.AddContainer("store", "example/store", "1.0.0")
                .WithEndpoint(targetPort: 7001, name: "tcp")
                .PublishAsFlux<ContainerResource>((store, context) =>
                    context.Add(store, "store.yaml", new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = context.Meta(store, "store-operator-input") }))
                .WithAnnotation(new ClusterServiceAnnotation(ServiceName: "store-primary", Port: 7000, PodLabels: new Dictionary<string, string> { ["example.io/store"] = "store" }))
                .InWave(ui);
            var endpoint = store.GetEndpoint("tcp");
            b.AddContainer("client", "example/client", "1.0.0")
                .WithHttpEndpoint(targetPort: 8080)
                .WithEnvironment("STORE", ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Host)}:{endpoint.Property(EndpointProperty.Port)}"))
                .WaitFor(store)
                .InWave(ui);
        });

        foreach (var build in tree.Builds)
        {
            var client = Assert.IsType<V1Deployment>(Assert.Single(build.Objects, o => o.Component == "client" && o.Value.Kind == "Deployment").Value);
            Assert.Equal("store-primary:7000", Assert.Single(client.Spec.Template.Spec.Containers[0].Env, e => e.Name == "STORE").Value);

            var policy = Assert.IsType<V1NetworkPolicy>(Assert.Single(build.Objects, o => o.Value is V1NetworkPolicy { Metadata.Name: "allow-store" }).Value);
            Assert.Equal("store", policy.Spec.PodSelector.MatchLabels["example.io/store"]);
            var rule = Assert.Single(policy.Spec.Ingress);
            Assert.Equal("7000", Assert.Single(rule.Ports).Port.Value);
            Assert.Equal("client", Assert.Single(rule.FromProperty).PodSelector.MatchLabels["app.kubernetes.io/name"]);
        }
    }

    [Fact]
    public async Task A_new_component_declared_only_through_its_own_builder_calls_is_published_with_probes_service_network_policy_and_docs()
    {
        // What a new component's folder would hold (see docs/adding-a-component.md), declared here in memory: nothing
        // outside these builder calls knows it.
        var docs = "";
        var tree = await FleetModel.PublishTreeAsync(builder =>
        {
            var redis = builder.CreateResourceBuilder(builder.Get<RedisResource>("redis"));
            builder.AddContainer("echo-ui", "hashicorp/http-echo", "1.0.0")
                .WithHttpEndpoint(targetPort: 5678, name: "http")
                .WithHttpReadinessProbe("/ready", "http")
                .WithHttpLivenessProbe("/live", "http")
                .WithClusterProfile(new ClusterWorkloadProfile(Cpu: "20m", Memory: "32Mi", CpuLimit: "100m", MemoryLimit: "64Mi", User: 65532, ReadOnlyRoot: true, WritablePaths: ["/tmp"]))
                .WaitFor(redis)
                .InWave(Wave(builder, "database-ui"));
        }, inspect: (model, services) => docs = Hosting.Documentation.FleetDocumentation.Dependencies(model.Resources, services));

        foreach (var build in tree.Builds)
        {
            var mine = build.Objects.Where(o => o.Component == "echo-ui").ToList();
            Assert.All(mine, o => Assert.Equal("database-ui", o.Wave));
            var deployment = Assert.IsType<V1Deployment>(Assert.Single(mine, o => o.Value.Kind == "Deployment").Value);
            var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
            Assert.Equal("/ready", container.ReadinessProbe.HttpGet.Path);
            Assert.Equal("5678", container.ReadinessProbe.HttpGet.Port.Value);
            Assert.Equal("/live", container.LivenessProbe.HttpGet.Path);
            Assert.Equal("32Mi", container.Resources.Requests["memory"].ToString());
            Assert.Equal("100m", container.Resources.Limits["cpu"].ToString());
            Assert.Equal(65532, container.SecurityContext.RunAsUser);
            Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
            Assert.Equal("/tmp", Assert.Single(container.VolumeMounts).MountPath);

            var service = Assert.IsType<V1Service>(Assert.Single(mine, o => o.Value.Kind == "Service").Value);
            Assert.Equal(5678, Assert.Single(service.Spec.Ports).Port);

            // Its WaitFor is an edge of the graph: Redis's policy admits exactly its pods on Redis's port, beside the others.
            var policy = Assert.IsType<V1NetworkPolicy>(Assert.Single(build.Objects, o => o.Value is V1NetworkPolicy { Metadata.Name: "allow-redis" }).Value);
            Assert.Contains(policy.Spec.Ingress, rule => rule.FromProperty.Any(peer => peer.PodSelector?.MatchLabels is { } labels && labels.TryGetValue("app.kubernetes.io/name", out var name) && name == "echo-ui"));
        }

        // The lint passed (publishing throws otherwise), and the docs know it: its wave, its port, its health check.
        Assert.Contains("| `echo-ui` | `echo-ui_http_/ready_200_check` | HTTP GET `/ready` on endpoint `http` answers 200 |", docs);
        Assert.Contains("echo_ui[\"echo-ui\"]", docs);
        Assert.Contains("| `echo-ui` | `http` |", docs);
    }

    [Fact]
    public async Task A_chart_part_that_the_chart_does_not_declare_fails_naming_the_allowed_parts()
    {
        await using var builder = await FleetModel.CreateAsync();
        var part = builder.AddResource(new NothingToPublish("pushgateway"));

        var failure = Assert.Throws<ArgumentException>(() => part.WithHelmChart(KubePrometheusStackChart.Chart, part: "pushgateway"));

        Assert.Contains("chart 'kube-prometheus-stack' has no part 'pushgateway'. Allowed: alertmanager, nodeExporter, kubeStateMetrics.", failure.Message);
    }

    [Fact]
    public async Task A_chart_defined_with_its_component_brings_its_own_values_and_is_found_through_the_model()
    {
        // A chart no Publishing code knows: its values, references and README facts come only from its definition.
        var chart = new HelmChart("example", "oci://charts.example.test/example", "example-operator", "1.2.3", "example-system", "example")
        {
            PodName = "example-operator",
            CrdPolicyReason = "the example chart's own reason",
            Values = release => new Dictionary<string, object>
            {
                ["replicas"] = release.Cluster.Strict ? 3 : 1,
                ["members"] = string.Join(",", release.Members.Select(m => m.Name)),
            },
        };
        var tree = await PublishAsync(b => b.AddClusterOnly("example-operator", "An operator from a chart defined in memory")
            .WithHelmChart(chart).InWave(Wave(b, "infrastructure-operators")));

        foreach (var build in tree.Builds)
        {
            var release = Assert.IsType<Hosting.Publishing.Manifests.CustomObject<Hosting.Publishing.Manifests.HelmReleaseSpec>>(
                Assert.Single(build.Objects, o => o.Value.Kind == "HelmRelease" && o.Value.Metadata.Name == "example").Value);
            Assert.Equal("example-operator", release.Spec.Chart.Spec.Chart);
            Assert.Equal(build.Cluster.Strict ? 3 : 1, release.Spec.Values["replicas"]);
            Assert.Equal("example-operator", release.Spec.Values["members"]);
            Assert.Contains(build.Charts, c => c == chart);
        }

        var readme = FluxTreeWriter.Files(tree)["README.md"];
        Assert.Contains("- `example` installs its CRDs with `CreateReplace` and upgrades them with `CreateReplace`: the example chart's own reason", readme);
    }
}
