namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>
/// What a change puts at risk in a cluster, each with why and what to do. Sources: kustomize-controller recreates an
/// object on an immutable-field error only with <c>spec.force</c> or the object's <c>kustomize.toolkit.fluxcd.io/force:
/// enabled</c> (fluxcd/kustomize-controller PR #271 and #787, fluxcd/pkg PR #453), and deleting a StatefulSet that way
/// deletes its pods (fluxcd/pkg issue #603); without it the apply fails and the wave stays not Ready; <c>prune: true</c>
/// deletes what leaves the source; helm-controller moves a release whose name or namespaces change by uninstalling it
/// (fluxcd/helm-controller, release target check, api v2).
/// </summary>
internal static class RiskRules
{
    private const string ForceAnnotation = "kustomize.toolkit.fluxcd.io/force";
    private const string PruneAnnotation = "kustomize.toolkit.fluxcd.io/prune";

    /// <summary>Fields Kubernetes refuses to change in place, by kind.</summary>
    private static readonly (string Group, string Kind, string[] Fields)[] s_immutable =
    [
        ("batch", "Job", ["spec.template", "spec.selector"]),
        ("apps", "Deployment", ["spec.selector"]),
        ("apps", "DaemonSet", ["spec.selector"]),
        ("apps", "StatefulSet", ["spec.selector", "spec.volumeClaimTemplates", "spec.serviceName", "spec.podManagementPolicy"]),
        ("", "Service", ["spec.clusterIP", "spec.clusterIPs"]),
        ("", "PersistentVolumeClaim", ["spec.accessModes", "spec.storageClassName", "spec.volumeName", "spec.volumeMode", "spec.selector"]),
    ];

    /// <summary>The risks of <paramref name="change"/>; <paramref name="kustomization"/> is the wave Kustomization that applies it.</summary>
    public static IEnumerable<DiffRisk> Of(ObjectChange change, ClusterObject? kustomization)
    {
        var o = change.Current;
        var key = change.Key;
        DiffRisk Risk(string what, string why, string toDo) => new(change.Wave, key, what, why, toDo);

        if (change.Kind == ChangeKind.Removed)
        {
            var prune = kustomization?.At("spec.prune") is true && o.Annotation(PruneAnnotation) is not ("disabled" or "Disabled");
            if (!prune)
            {
                yield break;
            }

            var data = (key.Group, key.Kind) switch
            {
                ("postgresql.cnpg.io", "Cluster") => "CloudNativePG deletes the cluster's instances and their PVCs with it: the database's data is lost (only backups remain)",
                ("", "PersistentVolumeClaim") => "the claim and, with the usual Delete reclaim policy, its volume and data are deleted",
                ("apps", "StatefulSet") => "its pods are deleted; the PVCs of its volumeClaimTemplates stay (unless persistentVolumeClaimRetentionPolicy.whenDeleted is Delete) but nothing serves the data",
                ("", "Namespace") => "everything in the namespace is deleted with it",
                ("helm.toolkit.fluxcd.io", "HelmRelease") => "helm-controller uninstalls the release: the chart's objects (and volumes it created) go",
                ("apiextensions.k8s.io", "CustomResourceDefinition") => "every custom resource of the definition is deleted with it",
                ("kustomize.toolkit.fluxcd.io", "Kustomization") => "the wave's Kustomization is deleted and, with prune: true, garbage-collects every object it applied",
                _ => null,
            };
            if (data is not null)
            {
                yield return Risk("removed under prune: true", data,
                    $"if the data must stay, annotate the object with {PruneAnnotation}: disabled in the base branch and let it reconcile before merging (or back it up first)");
            }

            yield break;
        }

        if (change.Kind != ChangeKind.Changed)
        {
            if (key.Group == "apiextensions.k8s.io" && key.Kind == "CustomResourceDefinition")
            {
                yield return Risk("CRD added", "a new API the cluster serves from now on; operators that watch it start acting", "check the operator's upgrade notes");
            }

            yield break;
        }

        foreach (var (group, kind, fields) in s_immutable.Where(i => i.Group == key.Group && i.Kind == key.Kind))
        {
            foreach (var field in fields.Where(change.Touches))
            {
                var forced = kustomization?.At("spec.force") is true || o.Annotation(ForceAnnotation) is "enabled" or "Enabled";
                var flux = forced
                    ? $"Flux deletes and recreates the {kind} (force is enabled){(kind == "Job" ? ": the Job runs again" : kind == "StatefulSet" ? ": all its pods are deleted at once (fluxcd/pkg#603)" : "")}"
                    : $"the apply fails ('field is immutable'): wave '{change.Wave}' stays not Ready and the waves that depend on it wait";
                yield return Risk($"{field} is immutable", $"Kubernetes does not change {field} of a {kind} in place; {flux}",
                    forced ? "make sure a recreate is acceptable (downtime, a Job running again)"
                        : $"set {ForceAnnotation}: enabled on the object (or spec.force on the wave) to let Flux recreate it, or delete it by hand when the change lands");
            }
        }

        if (key.Group == "helm.toolkit.fluxcd.io" && key.Kind == "HelmRelease")
        {
            foreach (var field in new[] { "spec.releaseName", "spec.targetNamespace", "spec.storageNamespace" }.Where(change.Touches))
            {
                yield return Risk($"{field} changes", "helm-controller uninstalls the old release and installs a new one: the chart's objects are deleted and created again (volumes and data of the old release may go)",
                    "keep the old name and namespaces, or plan the move as a reinstall (back up the release's data)");
            }

            foreach (var field in new[] { "spec.install.crds", "spec.upgrade.crds" }.Where(change.Touches))
            {
                yield return Risk($"{field} changes", "how the chart's CRDs are installed or upgraded changes: CreateReplace rewrites them on upgrade, Skip leaves them stale",
                    "read the chart's CRD upgrade notes; keep CreateReplace for operators that manage their own CRDs");
            }

            if (change.Fields.FirstOrDefault(f => f.Path == "spec.chart.spec.version") is { } version && Major(version.Old) is { } from && Major(version.New) is { } to && to > from)
            {
                yield return Risk($"chart major version {DiffYaml.Inline(version.Old)} -> {DiffYaml.Inline(version.New)}", "a major version of a chart may rename values, drop defaults or change CRDs",
                    "read the chart's upgrade notes for every major version in between and adapt the values");
            }
        }

        if (key.Group == "apiextensions.k8s.io" && key.Kind == "CustomResourceDefinition")
        {
            yield return Risk("CRD changes", "every custom resource of the definition is validated against the new schema; removed versions make stored objects unreadable", "check the operator's upgrade notes");
        }

        if (key.Group == "external-secrets.io" && key.Kind is "ClusterSecretStore" or "SecretStore" && change.Touches("spec"))
        {
            yield return Risk("secret store changes", "every ExternalSecret that uses the store reads its values from the new provider or credentials on its next refresh", "make sure the new store holds every remote key the ExternalSecrets read");
        }

        if (key.Group == "external-secrets.io" && key.Kind == "ExternalSecret")
        {
            foreach (var field in new[] { "spec.target", "spec.secretStoreRef" }.Where(change.Touches))
            {
                yield return Risk($"{field} changes", field == "spec.target"
                    ? "the Kubernetes Secret it makes changes (a new name deletes the old Secret it owned): workloads that read the old one fail to start"
                    : "the values come from another store on the next refresh", "change the workloads that read the secret in the same change, and check the new store has the keys");
            }
        }
    }

    private static int? Major(object? version) =>
        version is string s && int.TryParse(s.TrimStart('v').Split('.')[0], out var major) ? major : version is long l ? (int)l : null;
}
