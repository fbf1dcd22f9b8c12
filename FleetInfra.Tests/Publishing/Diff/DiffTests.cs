using FleetInfra.Hosting.Components.Postgres;
using FleetInfra.Hosting.Publishing.Manifests;
using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Diff;
using FleetInfra.Hosting.Waves;
using FleetInfra.Tests.Infrastructure;
using k8s.Models;

namespace FleetInfra.Tests.Publishing.Diff;

/// <summary>
/// The diff of the real model against itself after one mutation, each with the report it must give: the base is the
/// tree of the unchanged model (in memory, the files publish would write), the current one that of the mutated model.
/// </summary>
public class DiffTests
{
    private static readonly Lazy<Task<(SortedDictionary<string, string> Files, WaveGraph Graph)>> s_base = new(() => PublishAsync(null));

    private static async Task<(SortedDictionary<string, string> Files, WaveGraph Graph)> PublishAsync(Action<IDistributedApplicationTestingBuilder>? change)
    {
        var tree = await FleetModel.PublishTreeAsync(change);
        return (FluxTreeWriter.Files(tree), WaveGraph.From(tree.Waves));
    }

    private static async Task<ClusterDiff> DiffAsync(Action<IDistributedApplicationTestingBuilder>? change, string cluster = "development", bool mutateBase = false)
    {
        var unchanged = await s_base.Value;
        var changed = await PublishAsync(change);
        var (old, current) = mutateBase ? (changed, unchanged) : (unchanged, changed);
        return FluxDiff.Cluster(cluster, "base", old.Files, current.Files, current.Graph);
    }

    private static void NewTag(IDistributedApplicationTestingBuilder builder, string component, string tag)
    {
        var image = builder.Image(component);
        builder.Get(component).Annotations.Add(new ContainerImageAnnotation { Registry = image.Registry, Image = image.Image, Tag = tag });
    }

    private static ObjectChange Single(ClusterDiff diff, string kind, string name) => Assert.Single(diff.Changes, c => c.Key.Kind == kind && c.Key.Name == name);

    [Fact]
    public async Task No_change_says_so()
    {
        var diff = await DiffAsync(null);

        Assert.Empty(diff.Changes);
        Assert.Empty(diff.Risks);
        Assert.Contains("No difference", DiffReport.Markdown([diff]));
        Assert.Equal(["No difference: the clusters would apply exactly what they apply now."], DiffReport.Summary([diff]));
    }

    [Fact]
    public async Task A_chart_major_bump_shows_the_version_and_is_a_risk()
    {
        // The pinned version moves with Renovate: the bump is the next major of whatever is pinned.
        var pinned = Hosting.Components.Traefik.TraefikChart.Chart.Version;
        var bumped = $"{int.Parse(pinned.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture) + 1}.0.0";
        var diff = await DiffAsync(b =>
        {
            var traefik = b.Get("traefik");
            var chart = traefik.Annotations.OfType<HelmChartAnnotation>().Last();
            traefik.Annotations.Add(chart with { Chart = chart.Chart with { Version = bumped } });
        });

        var release = Single(diff, "HelmRelease", "traefik");
        Assert.Equal("infrastructure-core", release.Wave);
        var field = Assert.Single(release.Fields);
        Assert.Equal(("spec.chart.spec.version", pinned, bumped), (field.Path, field.Old, field.New));
        Assert.Equal("unknown (the chart decides what its values change)", RestartImpact.Of(release));
        Assert.Contains(diff.Risks, r => r.Key.Name == "traefik" && r.What.StartsWith($"chart major version {pinned} -> {bumped}", StringComparison.Ordinal));
        Assert.Equal(["infrastructure-core"], diff.Reconciling);
        // Everything else depends on the core wave, directly or not.
        Assert.Equal(["infrastructure-operators", "infrastructure-config", "infrastructure-monitoring", "database-workloads", "services", "database-ui"], diff.Downstream);
    }

    [Fact]
    public async Task An_image_tag_bump_is_a_rolling_restart()
    {
        var diff = await DiffAsync(b => NewTag(b, "redisinsight", "9.9.9"));

        var deployment = Single(diff, "Deployment", "redisinsight");
        var field = Assert.Single(deployment.Fields);
        Assert.Equal("spec.template.spec.containers[redisinsight].image", field.Path);
        Assert.EndsWith(":9.9.9", (string)field.New!);
        Assert.Equal("yes (rolling update)", RestartImpact.Of(deployment));
        Assert.Empty(diff.Risks);
        Assert.Equal(["database-ui"], diff.Reconciling);
        Assert.Empty(diff.Downstream);
        Assert.Contains("`spec.template.spec.containers[redisinsight].image`", DiffReport.Markdown([diff]));
    }

    [Fact]
    public async Task A_removed_component_lists_its_objects_as_removed()
    {
        // The base has an extra component; the current model does not.
        var diff = await DiffAsync(b => b.AddContainer("echo", "hashicorp/http-echo", "1.0.0").WithHttpEndpoint(targetPort: 5678)
            .InWave(b.CreateResourceBuilder(b.Wave("database-ui"))), mutateBase: true);

        var removed = diff.Changes.Where(c => c.Kind == ChangeKind.Removed).Select(c => c.Key.ToString()).ToList();
        Assert.Contains("Deployment fleet-infra/echo", removed);
        Assert.Contains("Service fleet-infra/echo", removed);
        Assert.Contains("ServiceAccount fleet-infra/echo", removed);
        Assert.Equal("database-ui", Single(diff, "Deployment", "echo").Wave);
        // Its service account is created with the namespace, by the cluster configuration.
        Assert.Equal("infrastructure-config", Single(diff, "ServiceAccount", "echo").Wave);
        Assert.Equal(["infrastructure-config", "database-ui"], diff.Reconciling);
        Assert.Equal("pods deleted", RestartImpact.Of(Single(diff, "Deployment", "echo")));
        Assert.Empty(diff.Risks); // a stateless Deployment: nothing of value goes with it
    }

    [Fact]
    public async Task A_changed_wave_timeout_changes_its_Kustomization()
    {
        var diff = await DiffAsync(b => b.Wave("services").Timeout = TimeSpan.FromMinutes(20));

        var kustomization = Single(diff, "Kustomization", "services");
        Assert.Equal(("spec.timeout", "10m", "20m"), (Assert.Single(kustomization.Fields).Path, kustomization.Fields[0].Old, kustomization.Fields[0].New));
        Assert.Equal(["services"], diff.Reconciling);
        Assert.Empty(diff.Risks);
    }

    [Fact]
    public async Task A_Job_image_change_is_flagged_immutable_and_Flux_recreates_it()
    {
        var diff = await DiffAsync(b => NewTag(b, "temporal-schema", "9.9.9"));

        var job = Single(diff, "Job", "temporal-schema");
        Assert.Contains(job.Fields, f => f.Path.StartsWith("spec.template.spec.", StringComparison.Ordinal) && f.Path.EndsWith(".image", StringComparison.Ordinal));
        var risk = Assert.Single(diff.Risks, r => r.Key.Name == "temporal-schema");
        Assert.Equal("spec.template is immutable", risk.What);
        Assert.Contains("Flux deletes and recreates the Job (force is enabled): the Job runs again", risk.Why);
    }

    [Fact]
    public async Task A_StatefulSet_volume_change_is_flagged_immutable()
    {
        var diff = await DiffAsync(b => b.CreateResourceBuilder(b.Get("redis")).WithFluxManifests(m =>
        {
            var set = m.Get<V1StatefulSet>()!;
            set.Spec.VolumeClaimTemplates[0].Spec.Resources.Requests["storage"] = new ResourceQuantity("20Gi");
        }));

        var statefulSet = Single(diff, "StatefulSet", "redis");
        Assert.Contains(statefulSet.Fields, f => f.Path.StartsWith("spec.volumeClaimTemplates", StringComparison.Ordinal) && f.Path.EndsWith("storage", StringComparison.Ordinal) && (string?)f.New == "20Gi");
        var risk = Assert.Single(diff.Risks, r => r.Key.Name == "redis");
        Assert.Equal("spec.volumeClaimTemplates is immutable", risk.What);
        Assert.Contains("the apply fails ('field is immutable'): wave 'database-workloads' stays not Ready", risk.Why);
        Assert.Equal(["database-workloads"], diff.Reconciling);
        Assert.Equal(["services", "database-ui"], diff.Downstream);
    }

    [Fact]
    public async Task A_removed_CNPG_Cluster_is_flagged_as_data_loss()
    {
        // The base has a second PostgreSQL cluster (the real one feeds every database user's secret, so it cannot go alone).
        var diff = await DiffAsync(b => b.CreateResourceBuilder(b.Get("postgres")).WithFluxManifests(m =>
        {
            var cluster = m.Objects.OfType<CustomObject<CnpgClusterSpec>>().Single();
            m.Objects.Add(Crd.Create(cluster.ApiVersion, "Cluster", new V1ObjectMeta { Name = "legacy", NamespaceProperty = cluster.Metadata.NamespaceProperty }, cluster.Spec));
        }), cluster: "production", mutateBase: true);

        var removed = Single(diff, "Cluster", "legacy");
        Assert.Equal(ChangeKind.Removed, removed.Kind);
        var risk = Assert.Single(diff.Risks, r => r.Key.Kind == "Cluster");
        Assert.Equal("removed under prune: true", risk.What);
        Assert.Contains("the database's data is lost", risk.Why);
        Assert.Contains("kustomize.toolkit.fluxcd.io/prune: disabled", risk.ToDo);
        Assert.Contains("  risk: production Cluster fleet-infra/legacy (wave database-workloads): removed under prune: true", DiffReport.Summary([diff]));
    }
}
