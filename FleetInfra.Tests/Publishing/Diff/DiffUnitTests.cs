using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Publishing.Diff;
using Microsoft.Extensions.Configuration;

namespace FleetInfra.Tests.Publishing.Diff;

/// <summary>The diff's parts on their own: the wave graph, the YAML comparison, the tree renderer and the settings.</summary>
public class DiffUnitTests
{
    [Fact]
    public void Downstream_comes_from_the_wave_graph_through_dependsOn()
    {
        var graph = new WaveGraph([
            ("core", []),
            ("operators", ["core"]),
            ("config", ["operators"]),
            ("monitoring", ["core", "config"]),
            ("databases", ["operators", "config"]),
            ("services", ["databases"]),
            ("ui", ["databases"]),
            ("unrelated", []),
        ]);

        Assert.Equal(["services", "ui"], graph.Downstream(["databases"]));
        Assert.Equal(["monitoring", "databases", "services", "ui"], graph.Downstream(["config"]));
        Assert.Equal(["config", "monitoring", "databases", "services", "ui"], graph.Downstream(["operators", "unrelated"]));
        Assert.Empty(graph.Downstream(["ui"]));
    }

    [Fact]
    public void Key_order_quoting_comments_and_document_order_are_no_change_but_list_order_is()
    {
        var a = DiffYaml.Documents("# generated\nkind: A\nspec:\n  port: 80\n  name: x\n  env:\n  - name: A\n    value: '1'\n  - name: B\n    value: $(A)\n", "a").Single();
        var b = DiffYaml.Documents("spec:\n  name: \"x\"\n  env:\n  - {name: B, value: $(A)}\n  - name: A\n    value: \"1\"\n  port: 80 # same\nkind: A\n", "b").Single();

        var change = Assert.Single(ObjectComparer.Compare(a, b));
        Assert.Equal(("spec.env (order)", "A, B", "B, A"), (change.Path, change.Old, change.New));
        Assert.Equal("1", Assert.IsType<string>(((Dictionary<string, object?>)((List<object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)a!)["spec"]!)["env"]!)[0]!)["value"]));
        // A quoted number is a string, a plain one a number: that is a change (Kubernetes reads them differently).
        Assert.Single(ObjectComparer.Compare(DiffYaml.Documents("port: 80", "c").Single(), DiffYaml.Documents("port: '80'", "d").Single()));
    }

    [Fact]
    public void A_folder_that_is_no_published_tree_is_refused_in_one_line()
    {
        using var folder = new Infrastructure.TempFolder();
        Directory.CreateDirectory(folder.Path);
        File.WriteAllText(Path.Combine(folder.Path, "README.md"), "not a tree");

        var error = Assert.Throws<NotAPublishedTreeException>(() => TreeRenderer.ReadFiles(folder.Path));
        Assert.Equal($"'{folder.Path}' is not a published Flux tree (no base/kustomization.yaml and clusters/ folder)", error.Message);
    }

    [Fact]
    public void A_kustomization_the_publisher_never_writes_is_refused_naming_file_and_field()
    {
        var files = new Dictionary<string, string>
        {
            ["clusters/dev/kustomization.yaml"] = "resources: [../../base]\nnamePrefix: x-\n",
            ["base/kustomization.yaml"] = "resources: []\n",
        };

        var error = Assert.Throws<NotAPublishedTreeException>(() => TreeRenderer.Render(files, "dev"));
        Assert.Equal("clusters/dev/kustomization.yaml: 'namePrefix' (the publisher writes only resources, components and patches)", error.Message);
    }

    [Theory]
    [InlineData("FleetInfra:Diff:FailOn", "always", "Invalid configuration 'FleetInfra:Diff:FailOn': 'always' is not allowed. Allowed: risk (fail on risky changes), change (fail on any change), or unset (report only).")]
    [InlineData("FleetInfra:Diff:Base:staging", "/tmp", "Invalid configuration 'FleetInfra:Diff:Base:staging': there is no cluster 'staging'. Allowed: development, production.")]
    public void Bad_settings_fail_naming_the_key_and_what_is_allowed(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["FleetInfra:Diff:Base"] = "/tmp", [key] = value }).Build();

        var error = Assert.Throws<FleetInfraConfigurationException>(() => FluxDiffSettings.Parse(configuration, ["development", "production"]));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_cluster_takes_its_own_base_over_the_common_one()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FleetInfra:Diff:Base"] = "/trees/develop",
            ["FleetInfra:Diff:Base:production"] = "/trees/main",
            ["FleetInfra:Diff:FailOn"] = "Risk",
        }).Build();

        var settings = FluxDiffSettings.Parse(configuration, ["development", "production"]);
        Assert.Equal("/trees/develop", settings.BaseByCluster["development"]);
        Assert.Equal("/trees/main", settings.BaseByCluster["production"]);
        Assert.Equal(DiffFailOn.Risk, settings.FailOn);
    }
}
