using System.Text.RegularExpressions;
using FleetInfra.Hosting.Publishing.Manifests;
using k8s;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// Checks one cluster overlay before anything is written. Each problem names the object, its wave and the fix.
/// Rules: namespace-order, api-order (CRDs), secret-store-order, service-selector, references (Secrets, ConfigMaps,
/// ServiceAccounts), no-secret-objects, dns-1123 names, served-api (no removed API versions), container-resources,
/// privileged-port (non-root without privilege escalation below 1024), release-timeout (a HelmRelease's retries fit in
/// its wave's timeout), route-tls (a cluster that serves TLS has no plain-HTTP route; a route's middlewares exist in its
/// namespace).
/// </summary>
internal static partial class FluxLint
{
    /// <summary>API versions that current clusters (Kubernetes 1.32, current operators) no longer serve, with their replacement.</summary>
    public static readonly IReadOnlyDictionary<string, string> RemovedApiVersions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["extensions/v1beta1"] = "apps/v1 or networking.k8s.io/v1",
        ["apps/v1beta1"] = "apps/v1",
        ["apps/v1beta2"] = "apps/v1",
        ["networking.k8s.io/v1beta1"] = "networking.k8s.io/v1",
        ["policy/v1beta1"] = "policy/v1",
        ["batch/v1beta1"] = "batch/v1",
        ["autoscaling/v2beta1"] = "autoscaling/v2",
        ["autoscaling/v2beta2"] = "autoscaling/v2",
        ["rbac.authorization.k8s.io/v1beta1"] = "rbac.authorization.k8s.io/v1",
        ["external-secrets.io/v1beta1"] = "external-secrets.io/v1",
        ["external-secrets.io/v1alpha1"] = "external-secrets.io/v1",
        ["helm.toolkit.fluxcd.io/v2beta1"] = "helm.toolkit.fluxcd.io/v2",
        ["helm.toolkit.fluxcd.io/v2beta2"] = "helm.toolkit.fluxcd.io/v2",
        ["kustomize.toolkit.fluxcd.io/v1beta1"] = "kustomize.toolkit.fluxcd.io/v1",
        ["kustomize.toolkit.fluxcd.io/v1beta2"] = "kustomize.toolkit.fluxcd.io/v1",
        ["source.toolkit.fluxcd.io/v1beta1"] = "source.toolkit.fluxcd.io/v1",
        ["traefik.containo.us/v1alpha1"] = "traefik.io/v1alpha1",
    };

    /// <summary>API groups every cluster serves: Kubernetes' own, and Flux's (installed by bootstrap).</summary>
    private static readonly HashSet<string> s_builtInGroups = new(StringComparer.Ordinal)
    {
        "", "apps", "batch", "networking.k8s.io", "rbac.authorization.k8s.io", "policy", "autoscaling", "storage.k8s.io",
        "source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io", "notification.toolkit.fluxcd.io",
    };

    private static readonly HashSet<string> s_clusterScoped = new(StringComparer.Ordinal)
    {
        "Namespace", "ClusterRole", "ClusterRoleBinding", "ClusterSecretStore", "CustomResourceDefinition", "PersistentVolume", "StorageClass",
    };

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    public static IEnumerable<string> Check(FluxBuild build, IReadOnlyDictionary<string, FluxWave> waves)
    {
        var objects = build.Objects;
        var problems = new List<string>();
        var env = build.Cluster.Name;

        void Report(FluxObject o, string problem, string fix) =>
            problems.Add($"{o.Describe()} (wave '{o.Wave}', component '{o.Component}', cluster '{env}'): {problem}. Fix: {fix}.");

        // Producers: what exists after which wave.
        var namespaces = objects.Where(o => o.Value.Kind == "Namespace").GroupBy(o => o.Value.Metadata.Name).ToDictionary(g => g.Key, g => g.First());
        var apiGroups = objects
            .Where(o => o.Value is CustomObject<HelmReleaseSpec>)
            .SelectMany(o => ChartOf(build, o)?.ProvidesApiGroups.Select(g => (Group: g, Object: o)) ?? [])
            .ToList();
        var stores = objects.Where(o => o.Value.Kind is "ClusterSecretStore" or "SecretStore").ToList();
        var producers = Producers(objects).ToList();

        foreach (var o in objects)
        {
            var meta = o.Value.Metadata;
            var wave = waves[o.Wave];
            var kind = o.Value.Kind;

            // served-api
            if (RemovedApiVersions.TryGetValue(o.Value.ApiVersion, out var replacement))
            {
                Report(o, $"apiVersion '{o.Value.ApiVersion}' is no longer served", $"use {replacement}");
            }

            // dns-1123
            var labelOnly = kind is "Namespace" or "Service";
            if (meta.Name is null || meta.Name.Length > (labelOnly ? 63 : 253) || !(labelOnly ? Dns1123Label() : Dns1123Subdomain()).IsMatch(meta.Name))
            {
                Report(o, $"name '{meta.Name}' is not a DNS-1123 {(labelOnly ? "label" : "subdomain")}", "use lowercase letters, digits and '-' (rename the resource in the model)");
            }

            // no-secret-objects
            if (kind == "Secret")
            {
                Report(o, "a Secret object would put secret values into Git", "produce it with an ExternalSecret (seed the value in Secrets Manager) or let CloudNativePG generate it");
            }

            // namespace-order
            if (!s_clusterScoped.Contains(kind))
            {
                var ns = meta.NamespaceProperty;
                if (ns is null)
                {
                    Report(o, "a namespaced object without a namespace", "set metadata.namespace");
                }
                else if (!FluxBuildContext.PreexistingNamespaces.Contains(ns))
                {
                    if (!namespaces.TryGetValue(ns, out var creator))
                    {
                        Report(o, $"namespace '{ns}' is created by no wave", $"place the component in a namespace the tree creates, or add a component that owns '{ns}'");
                    }
                    else if (!wave.SeesWave(creator.Wave))
                    {
                        Report(o, $"namespace '{ns}' is created by wave '{creator.Wave}', which wave '{o.Wave}' does not depend on",
                            $"make '{o.Wave}' depend on '{creator.Wave}' (wave.DependsOn(upstream, deviation: \"why\")) or publish the component into a namespace an upstream wave creates");
                    }
                }
            }

            // api-order: CRDs installed by a chart exist only once its HelmRelease is ready, i.e. in a later wave.
            var group = o.Value.ApiVersion.Contains('/') ? o.Value.ApiVersion[..o.Value.ApiVersion.IndexOf('/')] : "";
            if (!s_builtInGroups.Contains(group))
            {
                var providers = apiGroups.Where(g => g.Group == group).Select(g => g.Object).ToList();
                if (providers.Count == 0)
                {
                    Report(o, $"no wave installs the CRDs of API group '{group}'", "add the operator's chart (WithHelmChart) to a wave this one depends on");
                }
                else if (!providers.Any(p => p.Wave != o.Wave && wave.SeesWave(p.Wave)))
                {
                    var p = providers[0];
                    Report(o, $"the CRDs of '{group}' come from {p.Describe()} in wave '{p.Wave}', which is not upstream of wave '{o.Wave}' (a chart's CRDs exist only once its release is ready)",
                        $"make '{o.Wave}' depend on '{p.Wave}' (wave.DependsOn(upstream, deviation: \"why\"))");
                }
            }

            // secret-store-order
            if (o.Value is CustomObject<ExternalSecretSpec> { Spec.SecretStoreRef: { } storeRef })
            {
                var store = stores.FirstOrDefault(s => s.Value.Kind == storeRef.Kind && s.Value.Metadata.Name == storeRef.Name
                    && (storeRef.Kind == "ClusterSecretStore" || s.Value.Metadata.NamespaceProperty == meta.NamespaceProperty));
                if (store is null)
                {
                    Report(o, $"secret store {storeRef.Kind} '{storeRef.Name}' is created by no wave", "add the cluster configuration (AsClusterConfiguration) that creates it");
                }
                else if (!wave.SeesWave(store.Wave))
                {
                    Report(o, $"secret store '{storeRef.Name}' is created by wave '{store.Wave}', which wave '{o.Wave}' does not depend on",
                        $"make '{o.Wave}' depend on '{store.Wave}' (wave.DependsOn(upstream, deviation: \"why\"))");
                }
            }

            // service-selector
            if (o.Value is V1Service { Spec.Selector: { Count: > 0 } selector })
            {
                var matches = objects.Any(w => w.Value.Metadata.NamespaceProperty == meta.NamespaceProperty
                    && PodLabelsOf(w.Value) is { } labels && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value));
                if (!matches)
                {
                    Report(o, $"selector {{{string.Join(", ", selector.Select(s => $"{s.Key}={s.Value}"))}}} matches no workload's pods in namespace '{meta.NamespaceProperty}'",
                        "select the labels of the workload's pod template (app.kubernetes.io/name and app.kubernetes.io/part-of)");
                }
            }

            // references
            foreach (var reference in References(o))
            {
                var producer = producers.FirstOrDefault(p => p.Kind == reference.Kind && p.Namespace == reference.Namespace && p.Name == reference.Name);
                if (producer.Object is null)
                {
                    Report(o, $"{reference.Field} references {reference.Kind} '{reference.Namespace}/{reference.Name}', which nothing creates",
                        reference.Kind == "Secret"
                            ? "add an ExternalSecret for it (seed the value in Secrets Manager with localstack.WithSecret) or use a CloudNativePG-generated secret"
                            : $"add the {reference.Kind} to the component's wave or an upstream one");
                }
                else if (!wave.SeesWave(producer.Object.Wave))
                {
                    Report(o, $"{reference.Field} references {reference.Kind} '{reference.Namespace}/{reference.Name}', made in wave '{producer.Object.Wave}', which wave '{o.Wave}' does not depend on",
                        $"make '{o.Wave}' depend on '{producer.Object.Wave}' or create the {reference.Kind} upstream");
                }
            }

            // container-resources
            if (PodSpecOf(o.Value) is { } pod)
            {
                foreach (var container in pod.Containers)
                {
                    var missing = new[] { "requests.cpu", "requests.memory", "limits.cpu", "limits.memory" }
                        .Where(r => (r.StartsWith("requests", StringComparison.Ordinal) ? container.Resources?.Requests : container.Resources?.Limits)?.ContainsKey(r[(r.IndexOf('.') + 1)..]) != true)
                        .ToList();
                    if (missing.Count > 0)
                    {
                        Report(o, $"container '{container.Name}' has no {string.Join(", ", missing)}", "set requests and limits so the namespace's quota admits the pod");
                    }
                }
            }

            // privileged-port: allowPrivilegeEscalation: false sets no_new_privs, so the kernel ignores file capabilities
            // (an image's setcap'd binary); a non-root process then cannot bind below 1024 unless the runtime sets
            // net.ipv4.ip_unprivileged_port_start=0 - Docker does, containerd 1.x and stock CRI-O do not.
            if (PodSpecOf(o.Value) is { } podSpec)
            {
                foreach (var container in podSpec.Containers.Concat(podSpec.InitContainers ?? []))
                {
                    var user = container.SecurityContext?.RunAsUser ?? podSpec.SecurityContext?.RunAsUser;
                    var nonRoot = user is > 0 || (container.SecurityContext?.RunAsNonRoot ?? podSpec.SecurityContext?.RunAsNonRoot) == true;
                    if (!nonRoot || container.SecurityContext?.AllowPrivilegeEscalation != false)
                    {
                        continue;
                    }

                    foreach (var port in (container.Ports ?? []).Where(p => p.ContainerPort < 1024))
                    {
                        Report(o, $"container '{container.Name}' runs as non-root{(user is { } u ? $" (uid {u})" : "")} with allowPrivilegeEscalation: false but listens on port {port.ContainerPort}; " +
                            "it cannot bind a port below 1024 on runtimes without net.ipv4.ip_unprivileged_port_start=0 (containerd 1.x, CRI-O) and crash-loops",
                            "move it to a port of 1024 or above (images usually have a listen-port variable, e.g. PGADMIN_LISTEN_PORT) and let the Service map the public port");
                    }
                }
            }

            // route-tls
            if (o.Value is CustomObject<IngressRouteSpec> { Spec: var route })
            {
                if (build.Cluster.Tls && (route.Tls is null || route.EntryPoints.Any(e => e != FluxBuildContext.WebsecureEntryPoint)))
                {
                    Report(o, $"the route serves plain HTTP (entryPoints {string.Join(", ", route.EntryPoints)}{(route.Tls is null ? ", no tls" : "")}) in a cluster that serves TLS; its UI and credentials would cross the network unencrypted",
                        $"route on the '{FluxBuildContext.WebsecureEntryPoint}' entrypoint with tls (ContainerSpecs.Route does)");
                }

                foreach (var name in route.Routes.SelectMany(r => r.Middlewares ?? []).Select(m => m.Name))
                {
                    if (!objects.Any(m => m.Value.Kind == "Middleware" && m.Value.Metadata.Name == name && m.Value.Metadata.NamespaceProperty == meta.NamespaceProperty))
                    {
                        Report(o, $"middleware '{name}' does not exist in namespace '{meta.NamespaceProperty}'; Traefik rejects the route", "create the Middleware in the route's namespace (cross-namespace references are disabled)");
                    }
                }
            }

            // release-timeout: helm-controller uninstalls and retries a failed install up to `retries` times, each attempt
            // up to `timeout` (fluxcd/helm-controller docs/spec/v2/helmreleases.md, "Configuring failure handling"). If all
            // attempts do not fit in the wave's Kustomization timeout, the wave fails while the release is still retrying.
            if (o.Value is CustomObject<HelmReleaseSpec> { Spec: var release }
                && Configuration.FleetInfraSettings.TryParseDuration(release.Timeout, out var releaseTimeout))
            {
                var retries = Math.Max(release.Install.Remediation.Retries, release.Upgrade.Remediation.Retries);
                var worstCase = releaseTimeout * (retries + 1);
                if (worstCase > wave.Wave.Timeout)
                {
                    var fits = TimeSpan.FromSeconds(Math.Floor(wave.Wave.Timeout.TotalSeconds / (retries + 1)));
                    Report(o, $"timeout {release.Timeout} × (remediation retries {retries} + 1) = {FluxBuildContext.Duration(worstCase)} exceeds the timeout {FluxBuildContext.Duration(wave.Wave.Timeout)} of wave '{o.Wave}', which then fails while the release is still retrying",
                        $"keep timeout × (retries + 1) within the wave's timeout: a release timeout of at most {FluxBuildContext.Duration(fits)}, fewer retries, or a longer wave timeout");
                }
            }
        }

        return problems;
    }

    private static HelmChart? ChartOf(FluxBuild build, FluxObject release)
    {
        var spec = ((CustomObject<HelmReleaseSpec>)release.Value).Spec.Chart.Spec;
        return build.Charts
            .FirstOrDefault(c => c.Chart == spec.Chart && c.ReleaseName == release.Value.Metadata.Name);
    }

    /// <summary>Secrets, ConfigMaps and ServiceAccounts the objects create (directly, through ESO, or through CloudNativePG).</summary>
    private static IEnumerable<(string Kind, string? Namespace, string Name, FluxObject Object)> Producers(IEnumerable<FluxObject> objects)
    {
        foreach (var o in objects)
        {
            var ns = o.Value.Metadata.NamespaceProperty;
            switch (o.Value)
            {
                case V1ConfigMap:
                    yield return ("ConfigMap", ns, o.Value.Metadata.Name, o);
                    break;
                case V1ServiceAccount:
                    yield return ("ServiceAccount", ns, o.Value.Metadata.Name, o);
                    break;
                case CustomObject<ExternalSecretSpec> externalSecret:
                    yield return ("Secret", ns, externalSecret.Spec.Target.Name, o);
                    break;
                case CustomObject<CnpgClusterSpec> cluster:
                    // CloudNativePG generates the owner's credentials.
                    yield return ("Secret", ns, $"{cluster.Metadata.Name}-app", o);
                    break;
            }
        }
    }

    private static IEnumerable<FluxReference> References(FluxObject o)
    {
        foreach (var reference in o.References)
        {
            yield return reference;
        }

        if (PodSpecOf(o.Value) is not { } pod)
        {
            yield break;
        }

        var ns = o.Value.Metadata.NamespaceProperty;
        if (pod.ServiceAccountName is { } account)
        {
            yield return new FluxReference("ServiceAccount", ns, account, "spec.template.spec.serviceAccountName");
        }

        foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
        {
            foreach (var env in container.Env ?? [])
            {
                if (env.ValueFrom?.SecretKeyRef is { } secret)
                {
                    yield return new FluxReference("Secret", ns, secret.Name, $"env {env.Name} of container '{container.Name}'");
                }

                if (env.ValueFrom?.ConfigMapKeyRef is { } configMap)
                {
                    yield return new FluxReference("ConfigMap", ns, configMap.Name, $"env {env.Name} of container '{container.Name}'");
                }
            }

            foreach (var source in container.EnvFrom ?? [])
            {
                if (source.SecretRef is { } secret)
                {
                    yield return new FluxReference("Secret", ns, secret.Name, $"envFrom of container '{container.Name}'");
                }

                if (source.ConfigMapRef is { } configMap)
                {
                    yield return new FluxReference("ConfigMap", ns, configMap.Name, $"envFrom of container '{container.Name}'");
                }
            }
        }

        foreach (var volume in pod.Volumes ?? [])
        {
            if (volume.Secret is { } secret)
            {
                yield return new FluxReference("Secret", ns, secret.SecretName, $"volume '{volume.Name}'");
            }

            if (volume.ConfigMap is { } configMap)
            {
                yield return new FluxReference("ConfigMap", ns, configMap.Name, $"volume '{volume.Name}'");
            }
        }
    }

    public static V1PodSpec? PodSpecOf(IKubernetesObject<V1ObjectMeta> value) => value switch
    {
        V1Deployment d => d.Spec.Template.Spec,
        V1StatefulSet s => s.Spec.Template.Spec,
        V1DaemonSet d => d.Spec.Template.Spec,
        V1Job j => j.Spec.Template.Spec,
        _ => null,
    };

    private static IDictionary<string, string>? PodLabelsOf(IKubernetesObject<V1ObjectMeta> value) => value switch
    {
        V1Deployment d => d.Spec.Template.Metadata?.Labels,
        V1StatefulSet s => s.Spec.Template.Metadata?.Labels,
        V1DaemonSet d => d.Spec.Template.Metadata?.Labels,
        V1Job j => j.Spec.Template.Metadata?.Labels,
        _ => null,
    };
}

/// <summary>The published tree would not work in a cluster; the message lists every problem with its fix.</summary>
public sealed class FluxLintException(IReadOnlyList<string> problems)
    : DistributedApplicationException($"The Flux tree failed the publish lint ({problems.Count} problem(s)):{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", problems)}")
{
    /// <summary>One line per problem: object, wave, component, cluster, problem and fix.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}
