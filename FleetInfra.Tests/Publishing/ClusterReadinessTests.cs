using System.Text.Json.Nodes;
using FleetInfra.Hosting.Components.Traefik;
using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Publishing.Workloads;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Publishing;

/// <summary>
/// Faults of the published tree that only a real cluster shows (schema-valid, but would not reconcile): each test pins the
/// fix on the rendered tree, as the cluster would apply it.
/// </summary>
[Collection(PublishedTreeCollection.Name)]
public class ClusterReadinessTests(PublishedTree tree)
{
    private static string? Text(JsonNode? node, string path) =>
        path.Split('.').Aggregate(node, (n, p) => n?[p])?.GetValue<string>();

    private IEnumerable<JsonNode> Documents(string cluster, string kind) =>
        tree.ClusterDocuments().Where(d => d.Cluster == cluster && Text(d.Document, "kind") == kind).Select(d => d.Document);

    private static IEnumerable<JsonNode> Containers(JsonNode workload) =>
        (workload["spec"]?["template"]?["spec"]?["containers"]?.AsArray() ?? []).OfType<JsonNode>();

    [Theory]
    [InlineData("development")]
    [InlineData("production")]
    public void No_non_root_container_without_privilege_escalation_listens_below_1024(string cluster)
    {
        var workloads = new[] { "Deployment", "StatefulSet", "Job", "DaemonSet" }.SelectMany(k => Documents(cluster, k)).ToList();
        Assert.NotEmpty(workloads);
        var low = workloads.SelectMany(w => Containers(w).Select(c => (Workload: Text(w, "metadata.name"), Container: c)))
            .Where(x => x.Container["securityContext"]?["allowPrivilegeEscalation"]?.GetValue<bool>() == false)
            .SelectMany(x => (x.Container["ports"]?.AsArray() ?? []).Select(p => (x.Workload, Port: p!["containerPort"]!.GetValue<long>())))
            .Where(x => x.Port < 1024)
            .ToList();
        Assert.Empty(low);

        // pgAdmin: 8080 through PGADMIN_LISTEN_PORT, probes and Service following, no postfix; NET_BIND_SERVICE only in the
        // bounding set (its python carries it as a file capability, and exec fails without it).
        var pgAdmin = Containers(Documents(cluster, "Deployment").Single(d => Text(d, "metadata.name") == "pgadmin")).Single();
        var env = pgAdmin["env"]!.AsArray().ToDictionary(e => Text(e, "name")!, e => Text(e, "value"));
        Assert.Equal("8080", env["PGADMIN_LISTEN_PORT"]);
        Assert.Equal("true", env["PGADMIN_DISABLE_POSTFIX"]);
        Assert.Equal(8080L, pgAdmin["ports"]![0]!["containerPort"]!.GetValue<long>());
        Assert.Equal(8080L, pgAdmin["readinessProbe"]!["httpGet"]!["port"]!.GetValue<long>());
        Assert.Equal(["NET_BIND_SERVICE"], pgAdmin["securityContext"]!["capabilities"]!["add"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.False(pgAdmin["securityContext"]!["allowPrivilegeEscalation"]!.GetValue<bool>());
        var service = Documents(cluster, "Service").Single(s => Text(s, "metadata.name") == "pgadmin");
        Assert.Equal(8080L, service["spec"]!["ports"]![0]!["targetPort"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("development")]
    [InlineData("production")]
    public void Every_release_retries_within_its_wave_timeout(string cluster)
    {
        var waves = tree.Waves.ToDictionary(w => w.Name, w => w.Timeout);
        var releases = tree.ClusterDocuments().Where(d => d.Cluster == cluster && Text(d.Document, "kind") == "HelmRelease").ToList();
        Assert.Equal(5, releases.Select(r => Text(r.Document, "metadata.name")).Distinct().Count());
        foreach (var (target, _, release) in releases)
        {
            var spec = release["spec"]!;
            Assert.True(FleetInfraSettings.TryParseDuration(Text(spec, "timeout"), out var timeout), Text(spec, "timeout"));
            var retries = (int)Math.Max(spec["install"]!["remediation"]!["retries"]!.GetValue<long>(), spec["upgrade"]!["remediation"]!["retries"]!.GetValue<long>());
            var wave = waves[target.Split('+')[0]];
            // Each remediation (uninstall, rollback) waits up to its own timeout between the attempts (helm-controller v1.4.3).
            Assert.True(FleetInfraSettings.TryParseDuration(Text(spec, "uninstall.timeout"), out var uninstall), Text(spec, "uninstall.timeout"));
            Assert.True(FleetInfraSettings.TryParseDuration(Text(spec, "rollback.timeout"), out var rollback), Text(spec, "rollback.timeout"));
            Assert.True(timeout * (retries + 1) + (uninstall > rollback ? uninstall : rollback) * retries <= wave, $"{Text(release, "metadata.name")}: {timeout} × {retries + 1} + {retries} × remediation > {wave}");
            Assert.True(timeout >= TimeSpan.FromMinutes(2), $"{Text(release, "metadata.name")}: an attempt of {timeout} is too short to install a chart");
        }
    }

    [Fact]
    public void Traefik_needs_no_load_balancer_in_development_and_keeps_other_gateway_api_crds()
    {
        JsonNode Release(string cluster) => Documents(cluster, "HelmRelease").Single(r => Text(r, "metadata.name") == "traefik");

        Assert.Equal("NodePort", Text(Release("development"), "spec.values.service.type"));
        Assert.Equal((long)TraefikChart.DevelopmentWebNodePort, Release("development")["spec"]!["values"]!["ports"]!["web"]!["nodePort"]!.GetValue<long>());
        Assert.Equal("LoadBalancer", Text(Release("production"), "spec.values.service.type"));
        foreach (var cluster in PublishedTree.Clusters)
        {
            // The chart's crds/ carries Gateway API v1.3.0: never replace a provider's newer copy.
            Assert.Equal("Create", Text(Release(cluster), "spec.install.crds"));
            Assert.Equal("Skip", Text(Release(cluster), "spec.upgrade.crds"));
        }

        var readme = File.ReadAllText(Path.Combine(tree.Output, "README.md"));
        Assert.Contains("Flux 2.5 or later", readme);
        Assert.Contains($"NodePort {TraefikChart.DevelopmentWebNodePort}", readme);
        Assert.Contains("| production | required: the AWS Load Balancer Controller (v2.2 or later) makes Traefik's `LoadBalancer` Service an internet-facing NLB with IP targets", readme);
        Assert.Contains("`traefik` installs its CRDs with `Create` and upgrades them with `Skip`", readme);
    }

    [Theory]
    [InlineData("development")]
    [InlineData("production")]
    public void The_wave_with_cnpg_databases_gates_on_their_applied_status(string cluster)
    {
        var kustomizations = tree.Rendered[$"clusters/{cluster}"].Where(d => Text(d, "kind") == "Kustomization").ToDictionary(d => Text(d, "metadata.name")!);
        var databaseWaves = tree.ClusterDocuments().Where(d => d.Cluster == cluster && Text(d.Document, "kind") == "Database")
            .Select(d => d.Target.Split('+')[0]).Distinct().ToList();
        Assert.Equal(["database-workloads"], databaseWaves);

        foreach (var (name, kustomization) in kustomizations.Where(k => k.Key != "flux-system"))
        {
            var exprs = kustomization["spec"]!["healthCheckExprs"]?.AsArray();
            if (!databaseWaves.Contains(name))
            {
                Assert.Null(exprs);
                continue;
            }

            var database = Assert.Single(exprs!, e => Text(e, "kind") == "Database")!;
            Assert.Equal("postgresql.cnpg.io/v1", Text(database, "apiVersion"));
            Assert.Contains("status.applied == true", Text(database, "current"));
            Assert.Contains("status.applied == false", Text(database, "failed"));
        }
    }

    [Fact]
    public void Production_service_accounts_assume_their_iam_roles_and_the_store_authenticates_through_one()
    {
        JsonNode Single(string cluster, string kind, string? name = null) =>
            Documents(cluster, kind).Single(d => name is null || Text(d, "metadata.name") == name);
        const string Annotation = "eks.amazonaws.com/role-arn";

        var eso = Single("production", "HelmRelease", "external-secrets")["spec"]!["values"]!["serviceAccount"]!;
        Assert.Equal("external-secrets", Text(eso, "name"));
        Assert.Equal(FleetModel.RoleArns["aws-external-secrets-role-arn"], eso["annotations"]![Annotation]!.GetValue<string>());
        var store = Single("production", "ClusterSecretStore")["spec"]!["provider"]!["aws"]!["auth"]!["jwt"]!["serviceAccountRef"]!;
        Assert.Equal("external-secrets", Text(store, "name"));
        Assert.Equal("external-secrets-system", Text(store, "namespace"));
        var postgres = Single("production", "Cluster")["spec"]!;
        Assert.Equal(FleetModel.RoleArns["aws-postgres-backup-role-arn"], postgres["serviceAccountTemplate"]!["metadata"]!["annotations"]![Annotation]!.GetValue<string>());
        Assert.True(postgres["backup"]!["barmanObjectStore"]!["s3Credentials"]!["inheritFromIAMRole"]!.GetValue<bool>());

        // Development authenticates to LocalStack with a generated key pair: no role anywhere.
        Assert.Null(Single("development", "HelmRelease", "external-secrets")["spec"]!["values"]!["serviceAccount"]!["annotations"]);
        Assert.Null(Single("development", "ClusterSecretStore")["spec"]!["provider"]!["aws"]!["auth"]!["jwt"]);
        Assert.Null(Single("development", "Cluster")["spec"]!["serviceAccountTemplate"]);
    }

    [Fact]
    public void Production_routes_use_tls_and_authenticate_every_ui_without_its_own_login()
    {
        // The UIs routed without a login of their own, as the model declares them (the route set: ComponentContractTests).
        var withoutLogin = tree.Components.Where(c => c.Route == true).Select(c => c.Name).ToList();
        Assert.NotEmpty(withoutLogin);
        var routes = Documents("production", "IngressRoute").ToList();
        Assert.Equal(tree.Components.Count(c => c.Route is not null), routes.Count);
        foreach (var route in routes)
        {
            var name = Text(route, "metadata.name")!;
            Assert.Equal(["websecure"], route["spec"]!["entryPoints"]!.AsArray().Select(e => e!.GetValue<string>()));
            Assert.NotNull(route["spec"]!["tls"]);
            var middlewares = (route["spec"]!["routes"]![0]!["middlewares"]?.AsArray() ?? []).Select(m => Text(m, "name")).ToList();
            if (!withoutLogin.Contains(name))
            {
                Assert.Empty(middlewares);
                continue;
            }

            // The Middleware is in the route's namespace, reads a one-key Secret an ExternalSecret makes from Secrets Manager.
            var ns = Text(route, "metadata.namespace");
            var middleware = Documents("production", "Middleware").Single(m => Text(m, "metadata.name") == Assert.Single(middlewares) && Text(m, "metadata.namespace") == ns);
            var secret = Text(middleware, "spec.basicAuth.secret");
            var externalSecret = Documents("production", "ExternalSecret").Single(e => Text(e, "spec.target.name") == secret && Text(e, "metadata.namespace") == ns);
            var data = Assert.Single(externalSecret["spec"]!["data"]!.AsArray())!;
            Assert.Equal("fleet-infra/ui-basic-auth-users", Text(data, "remoteRef.key"));
        }

        Assert.All(Documents("development", "IngressRoute"), r =>
        {
            Assert.Equal(["web"], r["spec"]!["entryPoints"]!.AsArray().Select(e => e!.GetValue<string>()));
            Assert.Null(r["spec"]!["tls"]);
        });
        Assert.Empty(Documents("development", "Middleware"));

        // Plain HTTP redirects to TLS; the ingress accepts both on its network policy.
        var traefik = Documents("production", "HelmRelease").Single(r => Text(r, "metadata.name") == "traefik")["spec"]!["values"]!["ports"]!;
        Assert.Equal("websecure", Text(traefik, "web.http.redirections.entryPoint.to"));
        var policy = Documents("production", "NetworkPolicy").Single(p => Text(p, "metadata.name") == "allow-traefik-web");
        Assert.Contains(8443L, policy["spec"]!["ingress"]![0]!["ports"]!.AsArray().Select(p => p!["port"]!.GetValue<long>()));
    }

    [Fact]
    public void N8n_takes_its_public_url_from_its_route_in_production()
    {
        Dictionary<string, string?> Env(string cluster) => Containers(Documents(cluster, "Deployment").Single(d => Text(d, "metadata.name") == "n8n")).Single()["env"]!.AsArray()
            .ToDictionary(e => Text(e, "name")!, e => Text(e, "value"));

        var production = Env("production");
        Assert.Equal("n8n.fleet-infra.dev", production["N8N_HOST"]);
        Assert.Equal("https", production["N8N_PROTOCOL"]);
        Assert.Equal("https://n8n.fleet-infra.dev/", production["N8N_WEBHOOK_URL"]);
        Assert.Equal("true", production["N8N_SECURE_COOKIE"]);
        Assert.Equal("false", Env("development")["N8N_SECURE_COOKIE"]);
        Assert.False(Env("development").ContainsKey("N8N_WEBHOOK_URL"));
    }

    [Theory]
    [InlineData("development")]
    [InlineData("production")]
    public void Weave_gitops_has_an_admin_whose_bcrypt_hash_comes_from_an_external_secret(string cluster)
    {
        var adminUser = Documents(cluster, "HelmRelease").Single(r => Text(r, "metadata.name") == "weave-gitops")["spec"]!["values"]!["adminUser"]!;
        Assert.True(adminUser["create"]!.GetValue<bool>());
        Assert.False(adminUser["createSecret"]!.GetValue<bool>()); // no hash in Git
        Assert.Equal("admin", Text(adminUser, "username"));

        var login = Documents(cluster, "ExternalSecret").Single(e => Text(e, "spec.target.name") == "cluster-user-auth");
        Assert.Equal("flux-system", Text(login, "metadata.namespace"));
        Assert.Equal("fleet-infra/weave-gitops-admin-password", Text(Assert.Single(login["spec"]!["data"]!.AsArray()), "remoteRef.key"));
        Assert.Equal("{{ .password | bcrypt }}", Text(login, "spec.target.template.data.password"));
        Assert.Equal("admin", Text(login, "spec.target.template.data.username"));
        Assert.Contains("`weave-gitops` weave-gitops 4.0.36: Flux 2.5 and 2.6 only", File.ReadAllText(Path.Combine(tree.Output, "README.md")));
    }

    [Fact]
    public void No_script_or_config_handed_to_a_container_has_a_carriage_return()
    {
        var texts = tree.ClusterDocuments().SelectMany(d => Text(d.Document, "kind") switch
        {
            "ConfigMap" => (d.Document["data"]?.AsObject() ?? []).Select(e => e.Value!.GetValue<string>()),
            "Deployment" or "StatefulSet" or "Job" => Containers(d.Document).SelectMany(c => new[] { c["command"], c["args"] })
                .SelectMany(a => a?.AsArray() ?? []).Select(a => a!.GetValue<string>()),
            _ => [],
        }).ToList();

        Assert.Contains(texts, t => t.Contains("temporal-sql-tool", StringComparison.Ordinal)); // the schema job's script
        Assert.Contains(texts, t => t.StartsWith("#!", StringComparison.Ordinal)); // LocalStack's init script
        Assert.DoesNotContain(texts, t => t.Contains('\r', StringComparison.Ordinal));
    }

    [Fact]
    public void Development_external_secrets_keep_their_first_value_and_production_follows_rotation_except_encryption_keys()
    {
        var development = Documents("development", "ExternalSecret").ToList();
        var production = Documents("production", "ExternalSecret").ToList();
        Assert.NotEmpty(development);
        Assert.NotEmpty(production);

        Assert.All(development, e => Assert.Equal("CreatedOnce", Text(e, "spec.refreshPolicy")));
        // Periodic (the default), every refreshInterval - but an encryption key keeps its first value (AsEncryptionKey).
        Assert.All(production, e => Assert.Equal(Text(e, "metadata.name") == "n8n-encryption-key" ? "CreatedOnce" : null, Text(e, "spec.refreshPolicy")));
    }
}
