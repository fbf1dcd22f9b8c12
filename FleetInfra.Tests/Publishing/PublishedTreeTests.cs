using System.Text.Json.Nodes;
using FleetInfra.Hosting.Graph;

namespace FleetInfra.Tests.Publishing;

/// <summary>The tree <c>aspire publish</c> writes: layout, kustomize rendering, strict schemas, Flux ordering, secrets.</summary>
[Collection(PublishedTreeCollection.Name)]
public class PublishedTreeTests(PublishedTree tree)
{
    private static readonly string[] SeedWaves =
        ["infrastructure-core", "infrastructure-operators", "infrastructure-config", "infrastructure-monitoring", "database-workloads", "services", "database-ui"];

    private static string? Text(JsonNode? node, string path) =>
        path.Split('.').Aggregate(node, (n, p) => n?[p])?.GetValue<string>();

    [Fact]
    public void The_tree_has_the_seed_layout()
    {
        var baseKustomization = File.ReadAllText(Path.Combine(tree.Output, "base", "kustomization.yaml"));
        var resources = KubernetesSchemas.YamlToJson(baseKustomization).Single()!["resources"]!.AsArray().Select(r => r!.GetValue<string>());

        Assert.Equal(SeedWaves.Select(w => $"{w}.yaml"), resources);
        foreach (var wave in SeedWaves)
        {
            Assert.True(File.Exists(Path.Combine(tree.Output, "base", $"{wave}.yaml")), wave);
            Assert.True(File.Exists(Path.Combine(tree.Output, wave, "kustomization.yaml")), wave);
        }

        foreach (var cluster in PublishedTree.Clusters)
        {
            Assert.True(File.Exists(Path.Combine(tree.Output, "clusters", cluster, "kustomization.yaml")), cluster);
        }

        Assert.True(File.Exists(Path.Combine(tree.Output, "dependency-graph.json")));
        Assert.True(File.Exists(Path.Combine(tree.Output, "README.md")));
        Assert.True(File.Exists(Path.Combine(tree.Output, "services", "n8n.yaml")), "one file per component");
    }

    [Fact]
    public void Every_wave_folder_and_cluster_overlay_renders_with_kubectl_kustomize()
    {
        Assert.Empty(tree.RenderFailures);
        Assert.All(SeedWaves, w => Assert.Contains(w, tree.Rendered.Keys));
        Assert.Contains("clusters/development", tree.Rendered.Keys);
        Assert.Contains("clusters/production", tree.Rendered.Keys);
        Assert.Contains("infrastructure-core+development", tree.Rendered.Keys);
    }

    [Fact]
    public void Every_rendered_document_is_valid_against_the_cluster_schemas_with_unknown_fields_rejected()
    {
        // Fails, never skips: Locate throws naming the missing or wrong file when no source has the locked schemas.
        var schemas = new KubernetesSchemas(KubernetesSchemas.Locate());

        var documents = tree.Rendered.SelectMany(r => r.Value.Select(d => (Target: r.Key, Document: d))).ToList();
        Assert.True(documents.Count > 100, $"only {documents.Count} documents rendered");
        var problems = documents
            .Select(d => (d.Target, Name: $"{Text(d.Document, "kind")} {Text(d.Document, "metadata.namespace")}/{Text(d.Document, "metadata.name")}", Errors: schemas.Validate(d.Document)))
            .Where(p => p.Errors.Count > 0)
            .Select(p => $"{p.Target}: {p.Name}: {string.Join("; ", p.Errors)}")
            .Distinct()
            .ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_strict_validation_rejects_an_unknown_field()
    {
        var schemas = new KubernetesSchemas(KubernetesSchemas.Locate());
        var service = tree.Rendered["services"].First(d => Text(d, "kind") == "Service").DeepClone();
        service["spec"]!["selektor"] = new JsonObject();
        var release = tree.Rendered["infrastructure-operators"].First(d => Text(d, "kind") == "HelmRelease").DeepClone();
        release["spec"]!["chart"]!["spec"]!["chartName"] = "typo";

        Assert.NotEmpty(schemas.Validate(service));
        Assert.NotEmpty(schemas.Validate(release));
    }

    [Theory]
    [InlineData("development", "1m", "develop")]
    [InlineData("production", "10m", "main")]
    public void Flux_kustomizations_follow_the_model_waves(string cluster, string interval, string branch)
    {
        var documents = tree.Rendered[$"clusters/{cluster}"];
        var kustomizations = documents.Where(d => Text(d, "kind") == "Kustomization").ToDictionary(d => Text(d, "metadata.name")!);

        // The waves, and the bootstrap's own Kustomization beside them (untouched by the cluster's patches).
        Assert.Equal(tree.Waves.Select(w => w.Name).Append("flux-system").Order(), kustomizations.Keys.Order());
        Assert.Equal("10m0s", kustomizations["flux-system"]["spec"]!["interval"]!.GetValue<string>());
        foreach (var (name, dependsOn, timeout) in tree.Waves)
        {
            var spec = kustomizations[name]["spec"]!;
            Assert.Equal(dependsOn.Order(), (spec["dependsOn"]?.AsArray() ?? []).Select(d => d!["name"]!.GetValue<string>()).Order());
            Assert.Equal(Hosting.Configuration.FleetInfraSettings.FormatDuration(timeout), spec["timeout"]!.GetValue<string>());
            Assert.True(spec["wait"]!.GetValue<bool>());
            Assert.True(spec["prune"]!.GetValue<bool>());
            Assert.Equal(interval, spec["interval"]!.GetValue<string>());
            Assert.Equal("1m", spec["retryInterval"]!.GetValue<string>());
            Assert.Equal($"./{name}", spec["path"]!.GetValue<string>());
            Assert.Equal("flux-system", spec["sourceRef"]!["name"]!.GetValue<string>());
        }

        // No GitRepository of the tree's own (a placeholder URL): the one source is what flux bootstrap writes.
        var git = Assert.Single(documents, d => Text(d, "kind") == "GitRepository");
        Assert.Equal("flux-system", Text(git, "metadata.name"));
        var entry = KubernetesSchemas.YamlToJson(File.ReadAllText(Path.Combine(tree.Output, "clusters", cluster, "kustomization.yaml"))).Single()!;
        Assert.Contains("flux-system", entry["resources"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.DoesNotContain(cluster, tree.ClustersWithPublishedBootstrapFolder); // bootstrap keeps an existing flux-system/kustomization.yaml
        Assert.Contains($"--branch={branch} --path=clusters/{cluster}", File.ReadAllText(Path.Combine(tree.Output, "README.md")));
    }

    [Fact]
    public void LocalStack_runs_only_in_development_and_production_uses_the_aws_parameters()
    {
        var development = tree.ClusterDocuments().Where(d => d.Cluster == "development").Select(d => d.Document).ToList();
        var production = tree.ClusterDocuments().Where(d => d.Cluster == "production").Select(d => d.Document).ToList();

        Assert.Contains(development, d => Text(d, "kind") == "Deployment" && Text(d, "metadata.name") == "localstack");
        Assert.DoesNotContain(production, d => Text(d, "metadata.name") == "localstack" || Text(d, "metadata.namespace") == "localstack");

        static JsonNode Cluster(List<JsonNode> docs) => docs.Single(d => Text(d, "kind") == "Cluster");
        Assert.Equal("http://localstack.localstack.svc.cluster.local:4566", Text(Cluster(development), "spec.backup.barmanObjectStore.endpointURL"));
        Assert.Equal("https://s3.eu-central-1.amazonaws.com", Text(Cluster(production), "spec.backup.barmanObjectStore.endpointURL"));
        Assert.Equal("eu-central-1", Text(production.Single(d => Text(d, "kind") == "ClusterSecretStore"), "spec.provider.aws.region"));

        static string Endpoint(List<JsonNode> docs) => docs.Single(d => Text(d, "kind") == "HelmRelease" && Text(d, "metadata.name") == "external-secrets")["spec"]!["values"]!["extraEnv"]!
            .AsArray().Single(e => e!["name"]!.GetValue<string>() == "AWS_SECRETSMANAGER_ENDPOINT")!["value"]!.GetValue<string>();
        Assert.Equal("http://localstack.localstack.svc.cluster.local:4566", Endpoint(development));
        Assert.Equal("https://secretsmanager.eu-central-1.amazonaws.com", Endpoint(production));
    }

    [Fact]
    public void No_secret_value_appears_anywhere_in_the_tree()
    {
        var files = Directory.GetFiles(tree.Output, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (var (name, value) in PublishedTree.SecretValues)
            {
                Assert.False(text.Contains(value, StringComparison.Ordinal), $"{Path.GetRelativePath(tree.Output, file)} contains the value of '{name}'");
            }
        }

        Assert.DoesNotContain(tree.ClusterDocuments(), d => Text(d.Document, "kind") == "Secret");
    }

    [Theory]
    [InlineData("fleet-infra/redis-password", "redis-password")]
    [InlineData("fleet-infra/pgadmin-email", "pgadmin-email")]
    [InlineData("fleet-infra/pgadmin-password", "pgadmin-password")]
    [InlineData("fleet-infra/n8n-encryption-key", "n8n-encryption-key")]
    [InlineData("fleet-infra/grafana-admin-password", "grafana-admin")]
    public void Secrets_come_from_external_secrets_reading_the_seeded_names(string remoteKey, string secret)
    {
        var externalSecrets = tree.ClusterDocuments().Select(d => d.Document).Where(d => Text(d, "kind") == "ExternalSecret").ToList();

        var match = externalSecrets.First(e => Text(e, "metadata.name") == secret);
        Assert.Equal("ClusterSecretStore", Text(match, "spec.secretStoreRef.kind"));
        Assert.Contains(match["spec"]!["data"]!.AsArray(), d => d!["remoteRef"]!["key"]!.GetValue<string>() == remoteKey);
    }

    [Fact]
    public void Every_container_has_resources_probes_a_restrictive_security_context_and_the_fleet_labels()
    {
        var workloads = tree.ClusterDocuments().Select(d => d.Document).Where(d => Text(d, "kind") is "Deployment" or "StatefulSet" or "Job").ToList();
        // Exactly the components whose pods FleetInfra writes (the rest are charts or run by an operator).
        Assert.Equal(tree.Components.Where(c => c.Workload).Select(c => c.Name).Order(), workloads.Select(w => Text(w, "metadata.name")!).Distinct().Order());

        foreach (var workload in workloads)
        {
            var name = Text(workload, "metadata.name")!;
            var labels = workload["spec"]!["template"]!["metadata"]!["labels"]!;
            Assert.Equal(name, labels["app.kubernetes.io/name"]!.GetValue<string>());
            Assert.Equal("fleet-infra", labels["app.kubernetes.io/part-of"]!.GetValue<string>());
            Assert.Contains(labels["app.kubernetes.io/component"]!.GetValue<string>(), SeedWaves);
            foreach (var container in workload["spec"]!["template"]!["spec"]!["containers"]!.AsArray())
            {
                foreach (var key in new[] { "requests", "limits" })
                {
                    Assert.NotNull(container!["resources"]![key]!["cpu"]);
                    Assert.NotNull(container["resources"]![key]!["memory"]);
                }

                Assert.False(container!["securityContext"]!["allowPrivilegeEscalation"]!.GetValue<bool>(), name);
                if (Text(workload, "kind") != "Job")
                {
                    Assert.NotNull(container["readinessProbe"]);
                    Assert.NotNull(container["livenessProbe"]);
                }

                if (name != "localstack") // its image starts as root
                {
                    Assert.True(container["securityContext"]!["runAsNonRoot"]!.GetValue<bool>(), name);
                    Assert.Equal("ALL", container["securityContext"]!["capabilities"]!["drop"]![0]!.GetValue<string>());
                }
            }
        }
    }

    [Fact]
    public void Probes_are_the_models_declarations_and_readiness_is_the_local_health_check()
    {
        var containers = tree.ClusterDocuments().Select(d => d.Document)
            .Where(d => Text(d, "kind") is "Deployment" or "StatefulSet")
            .ToLookup(d => Text(d, "metadata.name")!, d => d["spec"]!["template"]!["spec"]!["containers"]![0]!);
        // Every long-running workload FleetInfra writes itself declares its probes (the generic TCP fallback is for
        // components that declare none).
        Assert.Equal(containers.Select(c => c.Key).Order(), tree.DeclaredProbes.Keys.Where(containers.Contains).Order());
        Assert.Equal(tree.Components.Where(c => c.Workload && !c.RunsToCompletion).Select(c => c.Name).Order(), containers.Select(c => c.Key).Order());

        foreach (var (resource, declared) in tree.DeclaredProbes.Where(p => containers.Contains(p.Key)))
        {
            Assert.Contains(declared, d => d.Probe.Type == ProbeType.Readiness);
            Assert.Contains(declared, d => d.Probe.Type == ProbeType.Liveness);
            foreach (var container in containers[resource])
            {
                foreach (var (probe, port) in declared)
                {
                    var field = probe.Type switch { ProbeType.Readiness => "readinessProbe", ProbeType.Liveness => "livenessProbe", _ => "startupProbe" };
                    var published = container[field];
                    Assert.True(published is not null, $"{resource}: no {field}");
                    Assert.Equal(probe.PeriodSeconds, published["periodSeconds"]!.GetValue<long>());
                    Assert.Equal(probe.TimeoutSeconds, published["timeoutSeconds"]!.GetValue<long>());
                    Assert.Equal(probe.FailureThreshold, published["failureThreshold"]!.GetValue<long>());
                    switch (probe)
                    {
                        case EndpointProbeAnnotation http:
                            Assert.Equal(http.Path, Text(published, "httpGet.path"));
                            Assert.Equal((long?)port, published["httpGet"]!["port"]!.GetValue<long>());
                            break;
                        case Hosting.Probes.GrpcProbeAnnotation grpc:
                            Assert.Equal(grpc.Service, Text(published, "grpc.service"));
                            Assert.Equal((long?)port, published["grpc"]!["port"]!.GetValue<long>());
                            break;
                        case Hosting.Probes.TcpProbeAnnotation:
                            Assert.Equal((long?)port, published["tcpSocket"]!["port"]!.GetValue<long>());
                            break;
                        case Hosting.Probes.ExecProbeAnnotation exec:
                            Assert.Equal(["sh", "-c", exec.Script], published["exec"]!["command"]!.AsArray().Select(c => c!.GetValue<string>()));
                            break;
                        default:
                            Assert.Fail($"{resource}: undeclared probe kind {probe.GetType().Name}");
                            break;
                    }
                }
            }

            // The same declaration is the local check: Aspire's HTTP check key, or the gRPC probe's own.
            var readiness = declared.Single(d => d.Probe.Type == ProbeType.Readiness).Probe;
            var expectedKey = readiness switch
            {
                EndpointProbeAnnotation http => $"{resource}_{http.EndpointReference.EndpointName}_{http.Path}_200_check",
                Hosting.Probes.GrpcProbeAnnotation grpc => $"{resource}_{grpc.EndpointReference.EndpointName}",
                _ => null, // exec: runs only in the pod; the component's own local check stands for it
            };
            if (expectedKey is not null)
            {
                Assert.Contains(expectedKey, tree.HealthChecks[resource]);
            }
        }
    }

    [Fact]
    public void Images_come_from_the_model()
    {
        var documents = tree.ClusterDocuments().Select(d => d.Document).ToList();
        string Image(string name) => documents.First(d => Text(d, "kind") is "Deployment" or "StatefulSet" or "Job" && Text(d, "metadata.name") == name)["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

        Assert.Equal("docker.io/n8nio/n8n:2.41.1", Image("n8n"));
        Assert.Equal("docker.io/library/redis:7.4.11", Image("redis"));
        Assert.Equal("ghcr.io/cloudnative-pg/postgresql:17.10-202608100833-system-bookworm@sha256:768906f10c8a39983e534dc3d91b2b0e6cba37c6a664763258bb5f9bbfb18672", Text(documents.First(d => Text(d, "kind") == "Cluster"), "spec.imageName"));
        var traefik = documents.First(d => Text(d, "kind") == "HelmRelease" && Text(d, "metadata.name") == "traefik")["spec"]!["values"]!["image"]!;
        Assert.Equal("v3.6.25", traefik["tag"]!.GetValue<string>());
    }

    [Fact]
    public void Postgres_is_a_three_instance_cnpg_cluster_with_the_seed_databases_and_s3_backups()
    {
        foreach (var cluster in PublishedTree.Clusters)
        {
            var documents = tree.ClusterDocuments().Where(d => d.Cluster == cluster).Select(d => d.Document).ToList();
            var postgres = documents.Single(d => Text(d, "kind") == "Cluster");
            Assert.Equal(3, postgres["spec"]!["instances"]!.GetValue<long>());
            Assert.Equal("appdb", Text(postgres, "spec.bootstrap.initdb.database"));
            Assert.StartsWith("s3://fleet-infra-postgres-backups/", Text(postgres, "spec.backup.barmanObjectStore.destinationPath"));
            Assert.Equal(["temporal", "temporal_visibility"], documents.Where(d => Text(d, "kind") == "Database").Select(d => Text(d, "spec.name")).Order());
            Assert.Single(documents, d => Text(d, "kind") == "ScheduledBackup");
        }
    }

    [Fact]
    public void Network_policies_deny_by_default_and_admit_only_the_graph()
    {
        var documents = tree.ClusterDocuments().Where(d => d.Cluster == "development").Select(d => d.Document).ToList();
        var namespaces = documents.Where(d => Text(d, "kind") == "Namespace").Select(d => Text(d, "metadata.name")).ToList();
        var policies = documents.Where(d => Text(d, "kind") == "NetworkPolicy").ToList();

        Assert.All(namespaces, ns => Assert.Contains(policies, p => Text(p, "metadata.namespace") == ns && Text(p, "metadata.name") == "default-deny-ingress"));
        List<string> Sources(string policy) => policies.Single(p => Text(p, "metadata.namespace") == "fleet-infra" && Text(p, "metadata.name") == policy)["spec"]!["ingress"]!
            .AsArray().SelectMany(r => r!["from"]?.AsArray() ?? []).Select(f => f!["podSelector"]!["matchLabels"]!.AsObject().First().Value!.GetValue<string>()).ToList();

        Assert.Equal(["n8n", "pgadmin", "sample-api", "temporal", "temporal-schema"], Sources("allow-postgres").Where(s => s is not "postgres" and not "cloudnative-pg").Order());
        Assert.Contains("postgres", Sources("allow-postgres")); // instance to instance
        Assert.Equal(["redisinsight", "sample-api"], Sources("allow-redis"));
        Assert.Contains("traefik", Sources("allow-n8n"));
        Assert.Contains("prometheus", Sources("allow-n8n"));
        Assert.Contains(policies, p => Text(p, "metadata.namespace") == "localstack" && Text(p, "metadata.name") == "allow-localstack");
    }

    [Fact]
    public void The_dependency_graph_and_readme_describe_the_model()
    {
        var graph = DependencyGraphDocument.FromJson(File.ReadAllText(Path.Combine(tree.Output, "dependency-graph.json")))!;
        var readme = File.ReadAllText(Path.Combine(tree.Output, "README.md"));

        Assert.Equal(SeedWaves, graph.Waves.Select(w => w.Name));
        Assert.Contains(graph.Resources, r => r.Name == "cnpg-operator" && r.Placement == GraphPlacement.ClusterOnly && r.Wave == "infrastructure-operators");
        Assert.Contains(graph.Resources, r => r.Name == "postgres" && r.Placement == GraphPlacement.Local);
        Assert.Contains(graph.Edges, e => e.From == "temporal" && e.To == "temporal-schema" && e.Kind == EdgeKind.WaitForCompletion);
        foreach (var wave in graph.Waves)
        {
            var model = tree.Waves.Single(w => w.Name == wave.Name);
            Assert.Equal(model.DependsOn, wave.DependsOn);
            foreach (var deviation in wave.Deviations)
            {
                Assert.Contains($"`{wave.Name}` also depends on `{deviation.Upstream}`: {deviation.Reason}", readme);
            }
        }

        Assert.Equal(2, graph.Waves.Sum(w => w.Deviations.Count));
    }
}
