using FleetInfra.Hosting.Components.Monitoring;
using FleetInfra.Hosting.Components.Traefik;
using FleetInfra.Hosting.Publishing.Manifests;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing.Components;

/// <summary>A service a chart creates for a component, and the pods behind it (for routes and network policies).</summary>
internal sealed record ChartService(string Namespace, string Service, int Port, string PodName, int PodPort);

/// <summary>
/// Components installed from Helm charts: a HelmRepository (in flux-system) and one HelmRelease per chart, written by the
/// first component of the chart; the values switch on the parts of the chart the model has (e.g. Grafana) and carry the
/// model's images.
/// </summary>
internal static class HelmReleaseWriter
{
    /// <summary>Remediations (uninstall or rollback, then a new attempt) after a failed install or upgrade.</summary>
    public const int RemediationRetries = 1;

    /// <summary>The fixed node port of Traefik's web entrypoint in development (kind: map it with extraPortMappings).</summary>
    public const int DevelopmentWebNodePort = 30080;

    /// <summary>
    /// A release's timeout: every attempt (retries + 1) must fit in its wave's Kustomization timeout (the release-timeout
    /// lint), with a tenth of the wave kept for the uninstall between attempts.
    /// </summary>
    public static TimeSpan ReleaseTimeout(TimeSpan waveTimeout) =>
        TimeSpan.FromSeconds(Math.Floor(waveTimeout.TotalSeconds * 0.9 / (RemediationRetries + 1)));

    public static void Write(IResource component, FluxBuildContext context)
    {
        var chart = component.Annotations.OfType<HelmChartAnnotation>().Last().Chart;
        var members = FluxPublisher.Components(context.Model).Where(r => r.TryGetLastAnnotation<HelmChartAnnotation>(out var c) && c.Chart == chart).ToList();
        if (members[0] != component)
        {
            return; // the chart's first component writes the release for all of them
        }

        var file = FluxBuildContext.FileOf(component);
        var wave = context.WaveOf(component);
        var labels = context.Labels(component);
        context.Add(component, file, Crd.Create("source.toolkit.fluxcd.io/v1", "HelmRepository",
            new V1ObjectMeta { Name = chart.Repository, NamespaceProperty = FluxBuildContext.FluxNamespace, Labels = labels },
            new HelmRepositorySpec("1h", chart.RepositoryUrl, chart.IsOci ? "oci" : null)));

        var release = context.Add(component, file, Crd.Create("helm.toolkit.fluxcd.io/v2", "HelmRelease",
            new V1ObjectMeta { Name = chart.ReleaseName, NamespaceProperty = chart.Namespace, Labels = labels },
            new HelmReleaseSpec(
                "30m",
                chart.ReleaseName,
                new HelmReleaseChart(new HelmChartTemplateSpec(chart.Chart, chart.Version, new KindRef("HelmRepository", chart.Repository, FluxBuildContext.FluxNamespace), "1h")),
                new HelmReleaseInstall(chart.InstallCrds, new HelmRemediation(RemediationRetries)),
                new HelmReleaseUpgrade(chart.UpgradeCrds, new HelmRemediation(RemediationRetries)),
                FluxBuildContext.Duration(ReleaseTimeout(context.Waves[wave].Wave.Timeout)),
                Values(chart, members, context, out var references))));
        release.References.AddRange(references);

        if (chart == HelmCharts.WeaveGitOps)
        {
            WriteWeaveGitOpsLogin(component, chart, context, wave);
        }

        if (chart == HelmCharts.KubePrometheusStack && members.OfType<GrafanaResource>().FirstOrDefault() is { } grafana)
        {
            var remote = context.RemoteSecretName(grafana.AdminPassword) ?? throw new FluxPublishException(
                $"'{grafana.Name}' (wave '{wave}') needs its admin password in the cluster, but no secret source provides it. " +
                $"Fix: seed it with localstack.WithSecret(\"fleet-infra/{grafana.AdminPassword.Name}\", {grafana.AdminPassword.Name}).");
            context.Add(grafana, FluxBuildContext.FileOf(grafana), FluxBuildContext.ExternalSecret(chart.Namespace, "grafana-admin", context.Labels(grafana),
                [new ExternalSecretData("password", new ExternalSecretRemoteRef(remote))],
                new ExternalSecretTemplate(new Dictionary<string, string> { ["admin-user"] = "admin", ["admin-password"] = "{{ .password }}" })));
        }
    }

    private const string WeaveGitOpsUserSecret = "cluster-user-auth";
    private const string WeaveGitOpsAdmin = "admin";

    /// <summary>
    /// Weave GitOps' login secret: the password from Secrets Manager, hashed with bcrypt by External Secrets' template
    /// engine (v2 templates carry the sprig functions, bcrypt among them: external-secrets docs/guides/templating.md).
    /// </summary>
    private static void WriteWeaveGitOpsLogin(IResource component, HelmChart chart, FluxBuildContext context, string wave)
    {
        if (component.Annotations.OfType<ChartAdminPasswordAnnotation>().LastOrDefault() is not { } admin)
        {
            return;
        }

        var remote = context.RemoteSecretName(admin.Password) ?? throw new FluxPublishException(
            $"'{component.Name}' (wave '{wave}') needs its admin password in the cluster, but no secret source provides it. " +
            $"Fix: seed it with localstack.WithSecret(\"fleet-infra/{admin.Password.Name}\", {admin.Password.Name}).");
        context.Add(component, FluxBuildContext.FileOf(component), FluxBuildContext.ExternalSecret(chart.Namespace, WeaveGitOpsUserSecret, context.Labels(component),
            [new ExternalSecretData("password", new ExternalSecretRemoteRef(remote))],
            new ExternalSecretTemplate(new Dictionary<string, string> { ["username"] = WeaveGitOpsAdmin, ["password"] = "{{ .password | bcrypt }}" })));
    }

    /// <summary>The chart service that serves a routed component, when a chart (not a FleetInfra workload) runs it.</summary>
    public static ChartService? RoutedService(IResource resource) => resource switch
    {
        GrafanaResource => new(HelmCharts.KubePrometheusStack.Namespace, "kube-prometheus-stack-grafana", 80, "grafana", GrafanaResource.HttpTargetPort),
        PrometheusResource => new(HelmCharts.KubePrometheusStack.Namespace, "kube-prometheus-stack-prometheus", PrometheusResource.HttpTargetPort, "prometheus", PrometheusResource.HttpTargetPort),
        _ => null,
    };

    /// <summary>
    /// Where Prometheus scrapes a component in the cluster. Traefik's chart serves metrics on its own entrypoint and
    /// service; Grafana is scraped by the chart's own ServiceMonitor; FleetInfra workloads on their service.
    /// </summary>
    public static IEnumerable<(IResource Resource, string Namespace, string Host, int Port, string Path, string PodName)> ScrapeTargets(FluxBuildContext context)
    {
        foreach (var resource in FluxPublisher.Components(context.Model).Where(r => r is not PrometheusResource))
        {
            foreach (var scrape in resource.Annotations.OfType<PrometheusScrapeAnnotation>())
            {
                if (resource is GrafanaResource)
                {
                    continue;
                }

                if (resource is TraefikResource)
                {
                    var chart = HelmCharts.Traefik;
                    yield return (resource, chart.Namespace, $"traefik-metrics.{chart.Namespace}.svc.cluster.local", 9100, scrape.Path, chart.PodName!);
                    continue;
                }

                var ns = context.NamespaceOf(resource);
                yield return (resource, ns, $"{FluxBuildContext.ServiceName(resource)}.{ns}.svc.cluster.local", FluxBuildContext.TargetPort(resource, scrape.EndpointName), scrape.Path, resource.Name);
            }
        }
    }

    private static Dictionary<string, object> Resources(FluxBuildContext context, string cpu, string memory, string cpuLimit, string memoryLimit)
    {
        var r = ContainerSpecs.Resources(cpu, memory, cpuLimit, memoryLimit);
        return new()
        {
            ["requests"] = r.Requests.ToDictionary(q => q.Key, q => (object)q.Value.ToString()),
            ["limits"] = r.Limits.ToDictionary(q => q.Key, q => (object)q.Value.ToString()),
        };
    }

    private static Dictionary<string, object> Image(IResource resource)
    {
        var (registry, repository, tag) = FluxBuildContext.ImageParts(resource);
        return new() { ["registry"] = registry, ["repository"] = repository, ["tag"] = tag.TrimStart('@') };
    }

    private static IDictionary<string, object> Values(HelmChart chart, IReadOnlyList<IResource> members, FluxBuildContext context, out List<FluxReference> references)
    {
        references = [];
        if (chart == HelmCharts.Traefik)
        {
            var traefik = members.OfType<TraefikResource>().First();
            return new Dictionary<string, object>
            {
                ["image"] = Image(traefik),
                ["deployment"] = new Dictionary<string, object> { ["replicas"] = context.Cluster.Strict ? 2 : 1 },
                // The chart's default Service is a LoadBalancer (traefik-helm-chart v37.1.2 traefik/values.yaml). Under Helm 3's
                // wait (helm-controller before Flux 2.8, or UseHelm3Defaults) it is ready only with an ingress IP
                // (helm pkg/kube/ready.go), which kind and bare metal never get: development uses a NodePort instead.
                ["service"] = new Dictionary<string, object> { ["type"] = context.Cluster.UsesLocalStack ? "NodePort" : "LoadBalancer" },
                ["ports"] = new Dictionary<string, object>
                {
                    ["traefik"] = new Dictionary<string, object> { ["port"] = FluxBuildContext.TargetPort(traefik, TraefikResource.DashboardEndpointName) },
                    ["web"] = context.Cluster.UsesLocalStack
                        ? new Dictionary<string, object> { ["port"] = FluxBuildContext.TargetPort(traefik, TraefikResource.WebEndpointName), ["nodePort"] = DevelopmentWebNodePort }
                        : context.Cluster.Tls
                            // Plain HTTP only redirects to the TLS entrypoint (values.yaml ports.web.redirections).
                            ? new Dictionary<string, object>
                            {
                                ["port"] = FluxBuildContext.TargetPort(traefik, TraefikResource.WebEndpointName),
                                ["redirections"] = new Dictionary<string, object> { ["entryPoint"] = new Dictionary<string, object> { ["to"] = FluxBuildContext.WebsecureEntryPoint, ["scheme"] = "https", ["permanent"] = true } },
                            }
                            : new Dictionary<string, object> { ["port"] = FluxBuildContext.TargetPort(traefik, TraefikResource.WebEndpointName) },
                    [FluxBuildContext.WebsecureEntryPoint] = new Dictionary<string, object> { ["port"] = FluxBuildContext.WebsecurePort },
                },
                ["ingressRoute"] = new Dictionary<string, object> { ["dashboard"] = new Dictionary<string, object> { ["enabled"] = false } },
                ["providers"] = new Dictionary<string, object>
                {
                    ["kubernetesCRD"] = new Dictionary<string, object> { ["enabled"] = true, ["allowCrossNamespace"] = false },
                },
                ["metrics"] = new Dictionary<string, object>
                {
                    ["prometheus"] = new Dictionary<string, object> { ["entryPoint"] = "metrics", ["service"] = new Dictionary<string, object> { ["enabled"] = true } },
                },
                ["resources"] = Resources(context, "100m", "128Mi", "1", "512Mi"),
            };
        }

        if (chart == HelmCharts.CloudNativePg)
        {
            return new Dictionary<string, object>
            {
                ["crds"] = new Dictionary<string, object> { ["create"] = true },
                ["resources"] = Resources(context, "100m", "128Mi", "500m", "512Mi"),
            };
        }

        if (chart == HelmCharts.ExternalSecrets)
        {
            var small = Resources(context, "50m", "64Mi", "250m", "256Mi");
            return new Dictionary<string, object>
            {
                ["installCRDs"] = true,
                // Production: the service account the ClusterSecretStore authenticates with (auth.jwt) assumes its IAM role (IRSA).
                ["serviceAccount"] = context.Cluster.SecretsRoleArn is { } role
                    ? new Dictionary<string, object> { ["name"] = chart.ReleaseName, ["annotations"] = new Dictionary<string, object> { [FluxBuildContext.IrsaRoleAnnotation] = role } }
                    : new Dictionary<string, object> { ["name"] = chart.ReleaseName },
                // The AWS provider has no endpoint field: the controller reads the endpoint from its environment.
                ["extraEnv"] = new object[] { new Dictionary<string, object> { ["name"] = "AWS_SECRETSMANAGER_ENDPOINT", ["value"] = context.Cluster.SecretsManagerEndpoint } },
                ["resources"] = Resources(context, "50m", "128Mi", "500m", "512Mi"),
                ["webhook"] = new Dictionary<string, object> { ["resources"] = small },
                ["certController"] = new Dictionary<string, object> { ["resources"] = small },
            };
        }

        if (chart == HelmCharts.KubePrometheusStack)
        {
            var values = new Dictionary<string, object>
            {
                ["crds"] = new Dictionary<string, object> { ["enabled"] = true },
                ["prometheusOperator"] = new Dictionary<string, object> { ["resources"] = Resources(context, "100m", "128Mi", "500m", "512Mi") },
            };
            foreach (var part in chart.Parts)
            {
                values[part.ValuesKey] = new Dictionary<string, object> { ["enabled"] = members.Any(m => m.Annotations.OfType<HelmChartAnnotation>().LastOrDefault()?.Part == part) };
            }

            if (members.OfType<PrometheusResource>().FirstOrDefault() is { } prometheus)
            {
                values["prometheus"] = new Dictionary<string, object>
                {
                    ["prometheusSpec"] = new Dictionary<string, object>
                    {
                        // The model's Prometheus, not the chart's default (quay.io/prometheus/prometheus v3.7.3 at 79.5.0): the
                        // cluster runs the version whose configuration the local run and its tests exercise. Move both together.
                        ["image"] = Image(prometheus),
                        ["retention"] = "10d",
                        ["resources"] = Resources(context, "250m", "512Mi", "1", "2Gi"),
                        ["serviceMonitorSelectorNilUsesHelmValues"] = false,
                        ["podMonitorSelectorNilUsesHelmValues"] = false,
                        // The model's scrape declarations (PrometheusScrapeAnnotation), as static targets on the services.
                        ["additionalScrapeConfigs"] = ScrapeTargets(context).Select(t => (object)new Dictionary<string, object>
                        {
                            ["job_name"] = t.Resource.Name,
                            ["metrics_path"] = t.Path,
                            ["static_configs"] = new object[]
                            {
                                new Dictionary<string, object>
                                {
                                    ["targets"] = new object[] { $"{t.Host}:{FluxBuildContext.Port(t.Port)}" },
                                    ["labels"] = new Dictionary<string, object> { ["app_kubernetes_io_name"] = t.Resource.Name, ["app_kubernetes_io_part_of"] = FluxBuildContext.PartOf },
                                },
                            },
                        }).ToArray(),
                    },
                };
            }

            if (members.OfType<GrafanaResource>().FirstOrDefault() is { } grafana)
            {
                values["grafana"] = new Dictionary<string, object>
                {
                    ["enabled"] = true,
                    ["image"] = Image(grafana),
                    ["admin"] = new Dictionary<string, object> { ["existingSecret"] = "grafana-admin", ["userKey"] = "admin-user", ["passwordKey"] = "admin-password" },
                    ["resources"] = Resources(context, "100m", "256Mi", "500m", "512Mi"),
                };
                references.Add(new FluxReference("Secret", chart.Namespace, "grafana-admin", "spec.values.grafana.admin.existingSecret"));
            }
            else
            {
                values["grafana"] = new Dictionary<string, object> { ["enabled"] = false };
            }

            return values;
        }

        if (chart == HelmCharts.WeaveGitOps)
        {
            // The admin signs in with the secret cluster-user-auth (username, bcrypt hash of the password), which the
            // chart must not create itself (weave-gitops charts/gitops-server/values.yaml: adminUser.create,
            // adminUser.createSecret; the server reads the secret by that name).
            var admin = members.Select(m => m.Annotations.OfType<ChartAdminPasswordAnnotation>().LastOrDefault()).OfType<ChartAdminPasswordAnnotation>().FirstOrDefault();
            if (admin is not null)
            {
                references.Add(new FluxReference("Secret", chart.Namespace, WeaveGitOpsUserSecret, "spec.values.adminUser"));
            }

            return new Dictionary<string, object>
            {
                ["adminUser"] = admin is null
                    ? new Dictionary<string, object> { ["create"] = false }
                    : new Dictionary<string, object> { ["create"] = true, ["createSecret"] = false, ["username"] = WeaveGitOpsAdmin },
                ["resources"] = Resources(context, "50m", "64Mi", "250m", "256Mi"),
            };
        }

        // A chart the publisher has no values for: installed with its defaults.
        return new Dictionary<string, object>();
    }
}
