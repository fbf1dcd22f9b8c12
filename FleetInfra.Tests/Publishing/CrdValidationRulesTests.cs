using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace FleetInfra.Tests.Publishing;

/// <summary>The published tree's custom objects against the CEL rules (<c>x-kubernetes-validations</c>) of their CRDs.</summary>
[Collection(PublishedTreeCollection.Name)]
public class CrdValidationRulesTests(PublishedTree tree, ITestOutputHelper output)
{
    /// <summary>
    /// Reviewed: the rules of the locked CRDs (k8s-schemas.lock) that Cel 0.3.3 cannot evaluate, by CRD, schema path and rule,
    /// with the reason. Empty today: every non-transition rule of the Flux, CNPG, External Secrets and Traefik CRDs
    /// parses and uses only has(), size(), startsWith(), `in`, filter() and comparisons. A CRD update bringing a rule
    /// the evaluator cannot run fails <see cref="The_rules_the_evaluator_cannot_run_are_exactly_the_reviewed_ones"/>
    /// until it is reviewed here (and, where it guards a field the tree sets, checked by hand or by a lint).
    /// </summary>
    private static readonly Dictionary<(string Crd, string SchemaPath, string Rule), string> ReviewedUnsupported = [];

    // Fails, never skips: Locate throws naming the missing or wrong file when no source has the locked CRDs.
    private static readonly Lazy<CrdValidationRules> s_rules = new(() => new CrdValidationRules(new KubernetesSchemas(Root()).CustomResourceSchemas));

    private static string Root() => KubernetesSchemas.Locate();

    private static string? Text(JsonNode? node, string path) =>
        path.Split('.').Aggregate(node, (n, p) => n?[p])?.GetValue<string>();

    [Fact]
    public void Every_rendered_custom_object_satisfies_the_validation_rules_of_its_crd()
    {
        var rules = s_rules.Value;
        var objects = tree.Rendered.SelectMany(r => r.Value.Where(rules.IsCustomObject).Select(d => (Target: r.Key, Document: d))).ToList();
        var evaluations = 0;
        var violations = new List<string>();
        var fired = new HashSet<CrdValidationRules.Rule>();
        foreach (var (target, document) in objects)
        {
            var found = rules.Validate(document, out var count, fired);
            evaluations += count;
            violations.AddRange(found.Select(v => $"{target}: {v}"));
        }

        output.WriteLine($"{objects.Count} custom objects ({objects.Select(o => o.Document["kind"]!.GetValue<string>()).Distinct().Count()} kinds) in {tree.Rendered.Count} rendered targets; " +
            $"{rules.All.Count} rules in the CRDs: {rules.Evaluated.Count()} evaluated, {rules.Transition.Count()} transition rules skipped, {rules.Unsupported.Count()} unsupported; " +
            $"{evaluations} rule evaluations; {fired.Count} distinct rules applied to the tree.");
        foreach (var rule in fired.OrderBy(r => r.Crd).ThenBy(r => r.SchemaPath))
        {
            output.WriteLine($"  applied: {rule.Crd} {rule.SchemaPath}: {rule.Expression}");
        }

        Assert.True(objects.Count > 50, $"only {objects.Count} custom objects rendered");
        Assert.Contains(objects, o => Text(o.Document, "kind") == "Database");
        Assert.True(fired.Count >= 5, $"only {fired.Count} rules matched a node of the tree");
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations.Distinct()));
    }

    [Fact]
    public void Every_rule_declared_in_the_crds_is_collected()
    {
        // An independent count of every x-kubernetes-validations entry anywhere in the served schemas: a rule under a
        // keyword the evaluator does not walk (allOf, anyOf, ...) would make the counts differ.
        static int Count(JsonNode? node) => node switch
        {
            JsonObject o => ((o["x-kubernetes-validations"] as JsonArray)?.Count ?? 0) + o.Where(p => p.Key != "x-kubernetes-validations").Sum(p => Count(p.Value)),
            JsonArray a => a.Sum(Count),
            _ => 0,
        };

        var schemas = new KubernetesSchemas(Root()).CustomResourceSchemas;
        var declared = schemas.Values.Sum(Count);

        Assert.True(declared > 50, $"only {declared} rules in the CRDs");
        Assert.Equal(declared, s_rules.Value.All.Count);
        Assert.Contains(s_rules.Value.Transition, r => r.Expression == "self == oldSelf");
        Assert.DoesNotContain(s_rules.Value.Evaluated, r => r.Expression.Contains("oldSelf", StringComparison.Ordinal));
    }

    [Fact]
    public void The_rules_the_evaluator_cannot_run_are_exactly_the_reviewed_ones()
    {
        var unsupported = s_rules.Value.Unsupported.ToDictionary(r => (r.Crd, r.SchemaPath, Rule: r.Expression), r => r.UnsupportedReason!);
        foreach (var (rule, reason) in unsupported)
        {
            output.WriteLine($"unsupported: {rule.Crd} {rule.SchemaPath}: {rule.Rule}: {reason}");
        }

        var unreviewed = unsupported.Keys.Except(ReviewedUnsupported.Keys).Select(k => $"{k.Crd} {k.SchemaPath}: `{k.Rule}`: {unsupported[k]}").ToList();
        var stale = ReviewedUnsupported.Keys.Except(unsupported.Keys).Select(k => $"{k.Crd} {k.SchemaPath}: `{k.Rule}`").ToList();
        Assert.True(unreviewed.Count == 0, "Rules Cel 0.3.3 cannot evaluate, not reviewed in ReviewedUnsupported:" + Environment.NewLine + string.Join(Environment.NewLine, unreviewed));
        Assert.True(stale.Count == 0, "Reviewed as unsupported but now evaluated (remove them from ReviewedUnsupported):" + Environment.NewLine + string.Join(Environment.NewLine, stale));
    }

    [Fact]
    public void An_object_that_breaks_a_rule_fails_naming_the_object_the_rule_and_its_message()
    {
        var rules = s_rules.Value;
        var release = tree.Rendered["infrastructure-operators"].First(d => Text(d, "kind") == "HelmRelease").DeepClone();
        release["spec"]!["chartRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = "chart" };
        var database = tree.ClusterDocuments().Select(d => d.Document).First(d => Text(d, "kind") == "Database").DeepClone();
        database["spec"]!["name"] = "postgres";
        var remediation = tree.Rendered["infrastructure-operators"].First(d => Text(d, "kind") == "HelmRelease").DeepClone();
        var install = remediation["spec"]!["install"] ??= new JsonObject();
        install["strategy"] = new JsonObject { ["name"] = "RemediateOnFailure", ["retryInterval"] = "1m" };

        var chart = Assert.Single(rules.Validate(release, out _));
        Assert.Equal($"HelmRelease {Text(release, "metadata.namespace")}/{Text(release, "metadata.name")}", chart.Object);
        Assert.Equal(".spec", chart.InstancePath);
        Assert.StartsWith("(has(self.chart) && !has(self.chartRef))", chart.Rule.Expression, StringComparison.Ordinal);
        Assert.Equal("either chart or chartRef must be set", chart.Detail);
        Assert.Contains($"HelmRelease {Text(release, "metadata.namespace")}/{Text(release, "metadata.name")} at .spec: rule `(has(self.chart)", chart.ToString());
        Assert.Contains("failed: either chart or chartRef must be set", chart.ToString());

        var reserved = Assert.Single(rules.Validate(database, out _));
        Assert.Equal(".spec.name", reserved.InstancePath);
        Assert.Equal("self != 'postgres'", reserved.Rule.Expression);
        Assert.Equal("the name postgres is reserved", reserved.Detail);

        var strategy = Assert.Single(rules.Validate(remediation, out _));
        Assert.Equal(".spec.install.strategy", strategy.InstancePath);
        Assert.Equal(".retryInterval cannot be set when .name is 'RemediateOnFailure'", strategy.Detail);
    }

    [Fact]
    public void Rules_apply_to_every_item_and_see_schema_defaults()
    {
        // A small CRD: a rule on list items, a rule that reads a defaulted field, a transition rule, and rules the
        // evaluator cannot run (Kubernetes' quantity library, optional syntax, a string extension it lacks).
        var schema = JsonNode.Parse("""
        {
          "type": "object",
          "properties": {
            "spec": {
              "type": "object",
              "x-kubernetes-validations": [
                { "rule": "self.mode == 'auto' || has(self.target)", "message": "target is required unless mode is auto" },
                { "rule": "self == oldSelf", "message": "spec is immutable" },
                { "rule": "quantity(self.size).isGreaterThan(quantity('1Gi'))" },
                { "rule": "self.?target.orValue('') != 'x'" },
                { "rule": "self.mode.lowerAscii() == self.mode" }
              ],
              "properties": {
                "mode": { "type": "string", "default": "manual" },
                "target": { "type": "string" },
                "size": { "type": "string" },
                "paths": { "type": "array", "items": { "type": "string", "x-kubernetes-validations": [ { "rule": "self.startsWith('/')", "message": "must start with a '/'" } ] } }
              }
            }
          }
        }
        """)!;
        var rules = new CrdValidationRules(new Dictionary<string, JsonNode> { [KubernetesSchemas.Key("example.test/v1", "Widget")] = schema });
        var widget = JsonNode.Parse("""{ "apiVersion": "example.test/v1", "kind": "Widget", "metadata": { "name": "w", "namespace": "ns" }, "spec": { "paths": ["/ok", "bad", "/fine", "worse"] } }""")!;

        var violations = rules.Validate(widget, out var evaluations);

        Assert.Equal(5, evaluations); // the spec rule once, the item rule per item; the others are not run
        Assert.Equal(["Widget ns/w at .spec: target is required unless mode is auto", "Widget ns/w at .spec.paths[1]: must start with a '/'", "Widget ns/w at .spec.paths[3]: must start with a '/'"],
            violations.Select(v => $"{v.Object} at {v.InstancePath}: {v.Detail}"));
        Assert.Equal(["self == oldSelf"], rules.Transition.Select(r => r.Expression));
        var unsupported = rules.Unsupported.ToDictionary(r => r.Expression, r => r.UnsupportedReason!);
        Assert.Equal(3, unsupported.Count);
        Assert.Contains("quantity()", unsupported["quantity(self.size).isGreaterThan(quantity('1Gi'))"]);
        Assert.Contains("optional field selection", unsupported["self.?target.orValue('') != 'x'"]);
        Assert.Contains(".lowerAscii()", unsupported["self.mode.lowerAscii() == self.mode"]);

        widget["spec"]!["mode"] = "auto";
        Assert.Equal(2, rules.Validate(widget, out _).Count);
    }
}
