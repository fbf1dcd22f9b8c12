using FleetInfra.Hosting.Publishing.Manifests;

namespace FleetInfra.Hosting.Publishing.Lint;

/// <summary>namespace-order: a namespaced object's namespace exists before its wave (Kubernetes', Flux's, or an upstream wave's).</summary>
internal sealed class NamespaceOrderRule : IFluxLintRule
{
    private static readonly HashSet<string> s_clusterScoped = new(StringComparer.Ordinal)
    {
        "Namespace", "ClusterRole", "ClusterRoleBinding", "ClusterSecretStore", "CustomResourceDefinition", "PersistentVolume", "StorageClass",
    };

    public string Name => "namespace-order";

    public void Check(FluxLintContext context, FluxObject o)
    {
        if (s_clusterScoped.Contains(o.Value.Kind))
        {
            return;
        }

        var ns = o.Value.Metadata.NamespaceProperty;
        if (ns is null)
        {
            context.Report(o, "a namespaced object without a namespace", "set metadata.namespace");
        }
        else if (!FluxBuildContext.PreexistingNamespaces.Contains(ns))
        {
            if (!context.Namespaces.TryGetValue(ns, out var creator))
            {
                context.Report(o, $"namespace '{ns}' is created by no wave", $"place the component in a namespace the tree creates, or add a component that owns '{ns}'");
            }
            else if (!context.WaveOf(o).SeesWave(creator.Wave))
            {
                context.Report(o, $"namespace '{ns}' is created by wave '{creator.Wave}', which wave '{o.Wave}' does not depend on",
                    $"make '{o.Wave}' depend on '{creator.Wave}' (wave.DependsOn(upstream, deviation: \"why\")) or publish the component into a namespace an upstream wave creates");
            }
        }
    }
}

/// <summary>api-order: CRDs installed by a chart exist only once its HelmRelease is ready, i.e. in a later wave.</summary>
internal sealed class ApiOrderRule : IFluxLintRule
{
    /// <summary>API groups every cluster serves: Kubernetes' own, and Flux's (installed by bootstrap).</summary>
    private static readonly HashSet<string> s_builtInGroups = new(StringComparer.Ordinal)
    {
        "", "apps", "batch", "networking.k8s.io", "rbac.authorization.k8s.io", "policy", "autoscaling", "storage.k8s.io",
        "source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io", "notification.toolkit.fluxcd.io",
    };

    public string Name => "api-order";

    public void Check(FluxLintContext context, FluxObject o)
    {
        var apiVersion = o.Value.ApiVersion;
        var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
        if (s_builtInGroups.Contains(group))
        {
            return;
        }

        var providers = context.ApiGroups.Where(g => g.Group == group).Select(g => g.Object).ToList();
        if (providers.Count == 0)
        {
            context.Report(o, $"no wave installs the CRDs of API group '{group}'", "add the operator's chart (WithHelmChart) to a wave this one depends on");
        }
        else if (!providers.Any(p => p.Wave != o.Wave && context.WaveOf(o).SeesWave(p.Wave)))
        {
            var p = providers[0];
            context.Report(o, $"the CRDs of '{group}' come from {p.Describe()} in wave '{p.Wave}', which is not upstream of wave '{o.Wave}' (a chart's CRDs exist only once its release is ready)",
                $"make '{o.Wave}' depend on '{p.Wave}' (wave.DependsOn(upstream, deviation: \"why\"))");
        }
    }
}

/// <summary>secret-store-order: an ExternalSecret's store exists before its wave (External Secrets is the publisher's secret mechanism).</summary>
internal sealed class SecretStoreOrderRule : IFluxLintRule
{
    public string Name => "secret-store-order";

    public void Check(FluxLintContext context, FluxObject o)
    {
        if (o.Value is not CustomObject<ExternalSecretSpec> { Spec.SecretStoreRef: { } storeRef })
        {
            return;
        }

        var store = context.Stores.FirstOrDefault(s => s.Value.Kind == storeRef.Kind && s.Value.Metadata.Name == storeRef.Name
            && (storeRef.Kind == "ClusterSecretStore" || s.Value.Metadata.NamespaceProperty == o.Value.Metadata.NamespaceProperty));
        if (store is null)
        {
            context.Report(o, $"secret store {storeRef.Kind} '{storeRef.Name}' is created by no wave", "add the cluster configuration (AsClusterConfiguration) that creates it");
        }
        else if (!context.WaveOf(o).SeesWave(store.Wave))
        {
            context.Report(o, $"secret store '{storeRef.Name}' is created by wave '{store.Wave}', which wave '{o.Wave}' does not depend on",
                $"make '{o.Wave}' depend on '{store.Wave}' (wave.DependsOn(upstream, deviation: \"why\"))");
        }
    }
}
