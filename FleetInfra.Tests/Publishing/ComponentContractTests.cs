using System.Text.Json.Nodes;

namespace FleetInfra.Tests.Publishing;

/// <summary>
/// The contract every component of the model meets in the published tree, checked per component so a new one is checked
/// without editing any test: its cluster form is there; a workload FleetInfra writes has requests and limits, probes
/// (unless it runs to completion) and a restricted security context; a NetworkPolicy admits traffic to it exactly when
/// something references it or routes to it; its production route has basic auth exactly when its UI has no login of its own.
/// What a component may not meet is a declared exception below, each with its reason.
/// </summary>
[Collection(PublishedTreeCollection.Name)]
public class ComponentContractTests(PublishedTree tree)
{
    /// <summary>Workloads whose container cannot run as non-root with every capability dropped, and why.</summary>
    private static readonly Dictionary<string, string> NotRestricted = new()
    {
        ["localstack"] = "its image starts as root (entrypoint setup, then drops to its own user)",
    };

    private static string? Text(JsonNode? node, string path) =>
        path.Split('.').Aggregate(node, (n, p) => n?[p])?.GetValue<string>();

    private IEnumerable<JsonNode> Documents(string cluster, params string[] kinds) =>
        tree.ClusterDocuments().Where(d => d.Cluster == cluster && kinds.Contains(Text(d.Document, "kind"))).Select(d => d.Document);

    /// <summary>Wave members that are components of their own (a server's databases belong to the server).</summary>
    private IEnumerable<ModelComponent> Components => tree.Components.Where(c => c.ParentName is null);

    public static TheoryData<string> Clusters => new(PublishedTree.Clusters);

    [Fact]
    public void The_model_has_components_of_every_kind_the_contract_checks()
    {
        // Guards the derivations below against an empty model (a contract over nothing passes).
        Assert.Contains(Components, c => c.Workload && !c.RunsToCompletion);
        Assert.Contains(Components, c => c.Workload && c.RunsToCompletion);
        Assert.Contains(Components, c => c.Chart is not null);
        Assert.Contains(Components, c => c.Route == true);
        Assert.Contains(Components, c => c.Route == false);
    }

    [Theory]
    [MemberData(nameof(Clusters))]
    public void Every_component_has_its_cluster_form(string cluster)
    {
        var releases = Documents(cluster, "HelmRelease").Select(r => Text(r, "metadata.name")).ToHashSet();
        var owned = tree.ClusterDocuments().Where(d => d.Cluster == cluster).Select(d => d.Document["metadata"]?["labels"]?["app.kubernetes.io/name"]?.GetValue<string>()).ToHashSet();
        var missing = Components.Where(c => c.DeployedIn(cluster, tree)).Where(c => c.Chart is { } chart ? !releases.Contains(chart.ReleaseName) : !owned.Contains(c.Name)).Select(c => c.Name).ToList();
        Assert.True(missing.Count == 0, $"{cluster}: no cluster form for {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Clusters))]
    public void Every_workload_fleetinfra_writes_has_resources_probes_and_a_restricted_security_context(string cluster)
    {
        var workloads = Documents(cluster, "Deployment", "StatefulSet", "Job").ToLookup(w => Text(w, "metadata.name")!);
        var expected = Components.Where(c => c.Workload && c.DeployedIn(cluster, tree)).ToList();
        Assert.Equal(expected.Select(c => c.Name).Order(), workloads.Select(w => w.Key).Order());
        var problems = new List<string>();
        foreach (var component in expected)
        {
            var workload = Assert.Single(workloads[component.Name]);
            var kind = Text(workload, "kind");
            if ((kind == "Job") != component.RunsToCompletion)
            {
                problems.Add($"{component.Name}: a {kind}, but it {(component.RunsToCompletion ? "runs to completion" : "runs continuously")}");
            }

            foreach (var container in workload["spec"]!["template"]!["spec"]!["containers"]!.AsArray().OfType<JsonNode>())
            {
                foreach (var key in new[] { "requests.cpu", "requests.memory", "limits.cpu", "limits.memory" })
                {
                    if (container["resources"]?[key.Split('.')[0]]?[key.Split('.')[1]] is null)
                    {
                        problems.Add($"{component.Name}: no resources.{key}");
                    }
                }

                if (!component.RunsToCompletion && (container["readinessProbe"] is null || container["livenessProbe"] is null))
                {
                    problems.Add($"{component.Name}: a long-running container without readiness and liveness probes");
                }

                var security = container["securityContext"];
                if (security?["allowPrivilegeEscalation"]?.GetValue<bool>() != false)
                {
                    problems.Add($"{component.Name}: allowPrivilegeEscalation is not false");
                }

                var seccomp = Text(security, "seccompProfile.type") ?? Text(workload, "spec.template.spec.securityContext.seccompProfile.type");
                var restricted = security?["runAsNonRoot"]?.GetValue<bool>() == true
                    && (security["capabilities"]?["drop"]?.AsArray().Select(c => c!.GetValue<string>()).Contains("ALL") ?? false)
                    && seccomp is "RuntimeDefault";
                if (restricted == NotRestricted.ContainsKey(component.Name))
                {
                    problems.Add(restricted
                        ? $"{component.Name}: restricted now; remove its exception ({NotRestricted[component.Name]})"
                        : $"{component.Name}: not restricted (runAsNonRoot, capabilities drop ALL, seccomp RuntimeDefault)");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [MemberData(nameof(Clusters))]
    public void A_network_policy_admits_traffic_to_a_component_exactly_when_something_references_or_routes_to_it(string cluster)
    {
        var policies = Documents(cluster, "NetworkPolicy").Select(p => Text(p, "metadata.name")).ToHashSet();
        var names = tree.Components.ToDictionary(c => c.Name);
        // An edge to a database counts for its server; wave membership and routes through the ingress send it no traffic.
        string Owner(string name) => names.TryGetValue(name, out var c) && c.ParentName is { } parent ? parent : name;
        var referenced = tree.Edges
            .Where(e => e.Kind is Hosting.Graph.EdgeKind.WaitFor or Hosting.Graph.EdgeKind.WaitForCompletion or Hosting.Graph.EdgeKind.Reference)
            .Where(e => names.TryGetValue(e.From, out var from) && from.DeployedIn(cluster, tree) && names.ContainsKey(e.To) && Owner(e.From) != Owner(e.To))
            .Select(e => Owner(e.To)).ToHashSet();
        var problems = new List<string>();
        foreach (var component in Components.Where(c => c.Chart is null && !c.RunsToCompletion && c.DeployedIn(cluster, tree)))
        {
            var expected = referenced.Contains(component.Name) || component.Route is not null;
            var has = policies.Contains($"allow-{component.Name}");
            if (expected != has)
            {
                problems.Add(has ? $"{component.Name}: allow-{component.Name} although nothing references or routes to it" : $"{component.Name}: referenced or routed, but no allow-{component.Name}");
            }
        }

        Assert.True(problems.Count == 0, $"{cluster}: {string.Join(Environment.NewLine, problems)}");
    }

    [Fact]
    public void Production_routes_have_basic_auth_exactly_when_the_ui_has_no_login_of_its_own()
    {
        var routes = Documents("production", "IngressRoute").ToDictionary(r => Text(r, "metadata.name")!);
        Assert.Equal(Components.Where(c => c.Route is not null).Select(c => c.Name).Order(), routes.Keys.Order());
        foreach (var component in Components.Where(c => c.Route is not null))
        {
            var middlewares = routes[component.Name]["spec"]!["routes"]![0]!["middlewares"]?.AsArray() ?? [];
            Assert.True(middlewares.Count > 0 == component.Route, $"{component.Name}: {(component.Route == true ? "a UI without a login of its own is not behind basic auth" : "has a login of its own, yet is behind basic auth")}");
        }
    }
}
