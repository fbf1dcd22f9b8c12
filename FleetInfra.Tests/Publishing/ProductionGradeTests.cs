using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Manifests;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Publishing;

/// <summary>
/// Issue 20's classes of production degradation, each caught by a lint rule on a model broken on purpose: a private load
/// balancer, a release budget without its remediation waits, an encryption key that follows rotation.
/// </summary>
public class ProductionGradeTests
{
    private static async Task<IReadOnlyList<string>> ProblemsAsync(Action<IDistributedApplicationTestingBuilder> breakModel) =>
        (await Assert.ThrowsAsync<FluxLintException>(() => FleetModel.PublishTreeAsync(breakModel))).Problems;

    private static void Customize(IDistributedApplicationTestingBuilder builder, string component, Action<FluxComponentManifests> change) =>
        builder.Get(component).Annotations.Add(new FluxManifestsAnnotation(change));

    private static void Release(IDistributedApplicationTestingBuilder builder, string component, Func<HelmReleaseSpec, HelmReleaseSpec> change) =>
        Customize(builder, component, m =>
        {
            var release = (CustomObject<HelmReleaseSpec>)m.Objects.Single(o => o.Kind == "HelmRelease");
            release.Spec = change(release.Spec);
        });

    [Fact]
    public async Task The_real_tree_asks_for_an_internet_facing_nlb_with_ip_targets_in_production_only()
    {
        var tree = await FleetModel.PublishTreeAsync();

        IDictionary<string, object> Service(string cluster) => (IDictionary<string, object>)tree.Builds.Single(b => b.Cluster.Name == cluster).Objects
            .Select(o => o.Value).OfType<CustomObject<HelmReleaseSpec>>().Single(r => r.Metadata.Name == "traefik").Spec.Values["service"];

        var annotations = (IDictionary<string, object>)Service("production")["annotations"];
        Assert.Equal("internet-facing", annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"]);
        Assert.Equal("ip", annotations["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"]);
        Assert.Equal("external", annotations["service.beta.kubernetes.io/aws-load-balancer-type"]);
        Assert.Equal("NodePort", Service("development")["type"]);
        Assert.False(Service("development").ContainsKey("annotations"));
    }

    [Fact]
    public async Task A_load_balancer_without_the_internet_facing_scheme_fails_on_aws()
    {
        var problems = await ProblemsAsync(b => Customize(b, "traefik", m =>
        {
            var release = (CustomObject<HelmReleaseSpec>)m.Objects.Single(o => o.Kind == "HelmRelease");
            if (release.Spec.Values["service"] is IDictionary<string, object> service && service.TryGetValue("annotations", out var a))
            {
                ((IDictionary<string, object>)a).Remove("service.beta.kubernetes.io/aws-load-balancer-scheme");
            }
        }));

        var problem = Assert.Single(problems);
        Assert.StartsWith("HelmRelease traefik/traefik (wave 'infrastructure-core', component 'traefik', cluster 'production'): ", problem);
        Assert.Contains("a LoadBalancer Service on AWS lacks service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing", problem);
        Assert.Contains("makes an internal NLB", problem);
        Assert.Contains("Fix: set these annotations in the release's values service.annotations.", problem);
    }

    [Fact]
    public async Task A_load_balancer_service_object_without_annotations_fails_on_aws()
    {
        // The class, not Traefik's values: any LoadBalancer Service a component writes.
        var problems = await ProblemsAsync(b => Customize(b, "redisinsight", m =>
        {
            foreach (var service in m.Objects.OfType<k8s.Models.V1Service>())
            {
                service.Spec.Type = "LoadBalancer";
            }
        }));

        var problem = Assert.Single(problems);
        Assert.StartsWith("Service fleet-infra/redisinsight (wave 'database-ui', component 'redisinsight', cluster 'production'): ", problem);
        Assert.Contains("lacks service.beta.kubernetes.io/aws-load-balancer-type: external, service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing, service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip", problem);
        Assert.Contains("Fix: set these annotations in the Service.", problem);
    }

    [Fact]
    public async Task Every_release_budgets_two_attempts_and_the_remediation_wait_between_them()
    {
        var tree = await FleetModel.PublishTreeAsync();

        // t × (r + 1) + t/4 × r within 90% of the wave: 5m → 2m + 30s, 10m → 4m + 1m.
        var releases = tree.Builds.SelectMany(b => b.Objects).Select(o => o.Value).OfType<CustomObject<HelmReleaseSpec>>()
            .GroupBy(r => r.Metadata.Name).ToDictionary(g => g.Key, g => g.First().Spec);
        Assert.Equal(("2m", "30s", "30s"), (releases["traefik"].Timeout, releases["traefik"].Uninstall?.Timeout, releases["traefik"].Rollback?.Timeout));
        Assert.Equal(("4m", "1m", "1m"), (releases["cnpg"].Timeout, releases["cnpg"].Uninstall?.Timeout, releases["cnpg"].Rollback?.Timeout));
    }

    [Fact]
    public async Task An_uninstall_wait_that_outlasts_the_wave_fails_and_disabling_it_counts_nothing()
    {
        var problems = await ProblemsAsync(b => Release(b, "cnpg-operator", s => s with { Timeout = "4m", Uninstall = new HelmReleaseUninstall(Timeout: "5m") }));

        var problem = Assert.Single(problems, p => p.StartsWith("HelmRelease cnpg-system/cnpg ", StringComparison.Ordinal) && p.Contains("'production'"));
        Assert.Contains("install: timeout 4m × (remediation retries 1 + 1) + 1 × uninstall wait 5m = 13m exceeds the timeout 10m of wave 'infrastructure-operators'", problem);
        Assert.Contains("a shorter uninstall.timeout", problem);

        // Two attempts of 4m30s without waiting for the uninstall fit in 10m; a rollback that waits the release timeout does not: 13m30s.
        problems = await ProblemsAsync(b => Release(b, "cnpg-operator", s => s with { Timeout = "4m30s", Uninstall = new HelmReleaseUninstall(DisableWait: true), Rollback = null }));
        problem = Assert.Single(problems, p => p.StartsWith("HelmRelease cnpg-system/cnpg ", StringComparison.Ordinal) && p.Contains("'production'"));
        Assert.Contains("upgrade: timeout 4m30s × (remediation retries 1 + 1) + 1 × rollback wait 4m30s = 13m30s exceeds", problem);
        Assert.Contains("a shorter rollback.timeout", problem);

        await FleetModel.PublishTreeAsync(b => Release(b, "cnpg-operator", s => s with
        {
            Timeout = "4m30s",
            Uninstall = new HelmReleaseUninstall(DisableWait: true),
            Rollback = new HelmReleaseRollback(DisableWait: true),
        }));
    }

    [Fact]
    public async Task The_encryption_key_keeps_its_first_value_in_every_cluster()
    {
        var tree = await FleetModel.PublishTreeAsync();

        foreach (var build in tree.Builds)
        {
            var key = build.Objects.Select(o => o.Value).OfType<CustomObject<ExternalSecretSpec>>().Single(e => e.Metadata.Name == "n8n-encryption-key");
            Assert.Equal("CreatedOnce", key.Spec.RefreshPolicy);
        }
    }

    [Fact]
    public async Task An_encryption_key_that_follows_rotation_fails()
    {
        var problems = await ProblemsAsync(b => Customize(b, "n8n", m =>
        {
            foreach (var e in m.Objects.OfType<CustomObject<ExternalSecretSpec>>())
            {
                e.Spec = e.Spec with { RefreshPolicy = null };
            }
        }));

        Assert.Equal(2, problems.Count); // both clusters
        var problem = Assert.Single(problems, p => p.Contains("'production'"));
        Assert.StartsWith("ExternalSecret fleet-infra/n8n-encryption-key (wave 'services', component 'n8n', cluster 'production'): ", problem);
        Assert.Contains("it delivers encryption key 'n8n-encryption-key' with refreshPolicy Periodic (the default)", problem);
        Assert.Contains("Fix: set refreshPolicy: CreatedOnce", problem);
    }

    [Fact]
    public async Task Production_serves_the_certificate_from_secrets_manager_as_traefiks_default()
    {
        var tree = await FleetModel.PublishTreeAsync();

        List<FluxObject> Objects(string cluster) => tree.Builds.Single(b => b.Cluster.Name == cluster).Objects;
        var store = Assert.Single(Objects("production"), o => o.Value.Kind == "TLSStore");
        Assert.Equal(("infrastructure-config", "cluster-config", "traefik", "default"), (store.Wave, store.Component, store.Value.Metadata.NamespaceProperty, store.Value.Metadata.Name));
        Assert.Equal("default-certificate", ((CustomObject<Hosting.Components.Traefik.TlsStoreSpec>)store.Value).Spec.DefaultCertificate.SecretName);
        var certificate = Assert.Single(Objects("production").Select(o => o.Value).OfType<CustomObject<ExternalSecretSpec>>(), e => e.Metadata.Name == "default-certificate");
        Assert.Equal("kubernetes.io/tls", certificate.Spec.Target.Template?.Type);
        Assert.Equal(["tls.crt", "tls.key"], certificate.Spec.Target.Template!.Data.Keys.Order());
        Assert.Equal(["fleet-infra/tls-certificate", "fleet-infra/tls-private-key"], certificate.Spec.Data!.Select(d => d.RemoteRef.Key));
        Assert.DoesNotContain(Objects("development"), o => o.Value.Kind == "TLSStore" || o.Value.Metadata.Name == "default-certificate");
    }

    [Fact]
    public async Task A_tls_cluster_without_a_default_certificate_fails()
    {
        var problems = await ProblemsAsync(b => Customize(b, "cluster-config", m => m.Objects.RemoveAll(o => o.Kind == "TLSStore")));

        Assert.All(problems, p => Assert.Contains("cluster 'production'", p));
        var problem = Assert.Single(problems, p => p.StartsWith("IngressRoute fleet-infra/n8n ", StringComparison.Ordinal));
        Assert.Contains("the route uses Traefik's default certificate, but the cluster has 0 TLSStore(s) named 'default'", problem);
        Assert.Contains("Fix: write exactly one TLSStore 'default' with a defaultCertificate", problem);

        problems = await ProblemsAsync(b => Customize(b, "cluster-config", m => m.Objects.RemoveAll(o => o.Kind == "ExternalSecret" && o.Metadata.Name == "default-certificate")));
        problem = Assert.Single(problems, p => p.StartsWith("IngressRoute fleet-infra/n8n ", StringComparison.Ordinal));
        Assert.Contains("the default certificate Secret 'traefik/default-certificate' of TLSStore 'TLSStore traefik/default' is produced by nothing", problem);
    }

    [Fact]
    public async Task N8n_provisions_its_owner_from_secrets_manager_in_every_cluster_with_a_hash_the_cluster_computes()
    {
        var tree = await FleetModel.PublishTreeAsync();

        foreach (var build in tree.Builds)
        {
            var env = build.Objects.Select(o => o.Value).OfType<k8s.Models.V1Deployment>().Single(d => d.Metadata.Name == "n8n")
                .Spec.Template.Spec.Containers.Single().Env.ToDictionary(e => e.Name);
            Assert.Equal("true", env["N8N_INSTANCE_OWNER_MANAGED_BY_ENV"].Value);
            Assert.Equal("1", env["N8N_PROXY_HOPS"].Value);
            Assert.Equal("n8n-owner-email", env["N8N_INSTANCE_OWNER_EMAIL"].ValueFrom.SecretKeyRef.Name);
            Assert.Null(env["N8N_INSTANCE_OWNER_PASSWORD_HASH"].Value); // never a value in the tree
            Assert.Equal(("n8n-owner", "password-hash"), (env["N8N_INSTANCE_OWNER_PASSWORD_HASH"].ValueFrom.SecretKeyRef.Name, env["N8N_INSTANCE_OWNER_PASSWORD_HASH"].ValueFrom.SecretKeyRef.Key));
            var owner = build.Objects.Select(o => o.Value).OfType<CustomObject<ExternalSecretSpec>>().Single(e => e.Metadata.Name == "n8n-owner");
            Assert.Equal("{{ .password | bcrypt }}", owner.Spec.Target.Template!.Data["password-hash"]);
            Assert.Equal("fleet-infra/n8n-owner-password", Assert.Single(owner.Spec.Data!).RemoteRef.Key);
        }
    }

    [Fact]
    public async Task Locally_n8n_gets_a_bcrypt_hash_of_the_owner_password_parameter_and_a_publish_gets_none()
    {
        const string password = "correct-horse-battery";
        await using var builder = await FleetModel.CreateAsync($"Parameters:n8n-owner-password={password}");
        var n8n = builder.Get("n8n");
        var env = await EnvironmentAsync(n8n, DistributedApplicationOperation.Run);

        var hash = Assert.IsType<string>(env["N8N_INSTANCE_OWNER_PASSWORD_HASH"]);
        // n8n 2.41.1 accepts only this form (dist/instance-settings-loader/loaders/owner.instance-settings-loader.js, BCRYPT_HASH_RE).
        Assert.Matches(@"^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$", hash);
        Assert.True(BCrypt.Net.BCrypt.Verify(password, hash));
        Assert.Equal("true", env["N8N_INSTANCE_OWNER_MANAGED_BY_ENV"]);
        Assert.Equal("platform@fleet-infra.dev", await Assert.IsType<ParameterResource>(env["N8N_INSTANCE_OWNER_EMAIL"]).GetValueAsync(TestContext.Timeout));

        var published = await EnvironmentAsync(n8n, DistributedApplicationOperation.Publish);
        Assert.False(published.ContainsKey("N8N_INSTANCE_OWNER_PASSWORD_HASH"));
    }

    /// <summary>The resource's environment callbacks as <paramref name="operation"/> runs them (values unresolved: endpoints need a running app).</summary>
    private static async Task<Dictionary<string, object>> EnvironmentAsync(IResource resource, DistributedApplicationOperation operation)
    {
        var values = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(operation), resource, values, TestContext.Timeout);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return values;
    }

    [Fact]
    public async Task Every_job_is_deleted_after_it_finishes_so_flux_reruns_a_failed_one()
    {
        var tree = await FleetModel.PublishTreeAsync();

        var jobs = tree.Builds.SelectMany(b => b.Objects).Select(o => o.Value).OfType<k8s.Models.V1Job>().ToList();
        Assert.Equal(["temporal-namespace", "temporal-schema"], jobs.Select(j => j.Metadata.Name).Distinct().Order());
        Assert.All(jobs, j => Assert.Equal(300, j.Spec.TtlSecondsAfterFinished));
    }

    [Fact]
    public async Task A_job_that_can_stay_failed_fails()
    {
        var problems = await ProblemsAsync(b => Customize(b, "temporal-schema", m =>
        {
            foreach (var job in m.Objects.OfType<k8s.Models.V1Job>())
            {
                job.Spec.TtlSecondsAfterFinished = null;
            }
        }));

        Assert.Equal(2, problems.Count); // both clusters
        var problem = Assert.Single(problems, p => p.Contains("'production'"));
        Assert.StartsWith("Job fleet-infra/temporal-schema (wave 'services', component 'temporal-schema', cluster 'production'): ", problem);
        Assert.Contains("once its backoffLimit is used up it stays Failed: Flux neither deletes nor reruns it", problem);
        Assert.Contains("Fix: make the command idempotent and declare it with .RerunsInCluster()", problem);
    }
}

/// <summary>
/// The CloudNativePG operand tag rule, on explicit tags: the repository's own pin is set by another branch (issue 19), so the
/// rule is checked here on the real tree with its Cluster's imageName replaced.
/// </summary>
public class CnpgImageTagRuleTests
{
    [Theory]
    [InlineData("ghcr.io/cloudnative-pg/postgresql:17.6", "has the rolling tag '17.6'")]
    [InlineData("ghcr.io/cloudnative-pg/postgresql:17.10-system-bookworm", "has the rolling tag '17.10-system-bookworm'")]
    [InlineData("ghcr.io/cloudnative-pg/postgresql:17-system-trixie", "has the rolling tag '17-system-trixie'")]
    [InlineData("ghcr.io/cloudnative-pg/postgresql", "has the rolling tag 'latest'")]
    [InlineData("ghcr.io/cloudnative-pg/postgresql:17.10-202608100833-standard-bookworm", "is a 'standard' image, which has no barman-cloud")]
    [InlineData("ghcr.io/cloudnative-pg/postgresql:17.10-202608100833-system-bookworm", null)]
    [InlineData("ghcr.io/cloudnative-pg/postgresql:17.10-202608100833-system-bookworm@sha256:768906f10c8a39983e534dc3d91b2b0e6cba37c6a664763258bb5f9bbfb18672", null)]
    [InlineData("registry.local:5000/cloudnative-pg/postgresql@sha256:768906f10c8a39983e534dc3d91b2b0e6cba37c6a664763258bb5f9bbfb18672", null)]
    public async Task A_rolling_or_backup_less_operand_image_fails(string image, string? expected)
    {
        var tree = await FleetModel.PublishTreeAsync();
        var waves = tree.Waves.ToDictionary(w => w.Name, StringComparer.Ordinal);
        var production = tree.Builds.Single(b => b.Cluster.Name == "production");
        foreach (var cluster in production.Objects.Select(o => o.Value).OfType<CustomObject<Hosting.Components.Postgres.CnpgClusterSpec>>())
        {
            cluster.Spec = cluster.Spec with { ImageName = image };
        }

        var problems = FluxLint.Check(production, waves, [new Hosting.Components.Postgres.CnpgImageTagRule()]).ToList();

        if (expected is null)
        {
            Assert.Empty(problems);
            return;
        }

        var problem = Assert.Single(problems);
        Assert.StartsWith("Cluster fleet-infra/postgres (wave 'database-workloads', component 'postgres', cluster 'production'): ", problem);
        Assert.Contains($"imageName {image} {expected}", problem);
    }
}
