using FleetInfra.Hosting.Components;
using FleetInfra.Hosting.Components.ClusterOnly;
using FleetInfra.Hosting.Components.LocalStack;
using FleetInfra.Hosting.Components.Traefik;
using FleetInfra.Hosting.Graph;
using FleetInfra.Hosting.Waves;
using static FleetInfra.Hosting.Documentation.MarkdownWriter;

namespace FleetInfra.Hosting.Documentation;

/// <summary>
/// The seed's common dependency problems, each mapped to what the Aspire dashboard shows and to the seed's
/// flux/kubectl commands. The knowledge is the seed's; every name comes from the model, found by role
/// (operators, data layer, secret store, ingress) rather than typed in.
/// </summary>
internal static class Troubleshooting
{
    // Published by WaveMonitor (wave state properties) and ClusterOnlyBuilderExtensions.
    private const string NotReadyProperty = WaveResource.NotReadyProperty;
    private const string FailureProperty = WaveResource.FailureProperty;
    private const string ReadyAfterProperty = WaveResource.ReadyAfterProperty;

    public static void Write(MarkdownWriter doc, ModelView model)
    {
        doc.Heading(2, "Troubleshooting")
            .Heading(3, "Wave states in the dashboard")
            .Paragraph("Each wave is a resource of type *Wave*, its members shown under it. Its state follows its Flux Kustomization:")
            .Table(["state", "meaning", "in a cluster"],
            [
                [$"*{KnownResourceStates.Waiting}*", "an upstream wave is not ready yet", "Kustomization waiting on `dependsOn`"],
                [$"*{WaveMonitor.ReconcilingState}*", "upstream waves are ready; members are starting, within the wave's timeout", "Kustomization reconciling, `wait: true`"],
                [$"*{KnownResourceStates.Running}*", $"every member is ready (`{ReadyAfterProperty}` says how long it took)", "Kustomization `Ready=True`"],
                [$"*{KnownResourceStates.FailedToStart}*", $"a member failed or the timeout passed: `{FailureProperty}` says why, `{NotReadyProperty}` names the late members; downstream waves give up", "Kustomization `Ready=False`, dependents blocked"],
                [$"*{ClusterOnlyResource.StateText}*", "(a member) exists only in a cluster; counts as ready locally", "a HelmRelease or manifests of the wave"],
            ]);

        doc.Heading(3, "Common dependency problems");
        var edges = model.Needs;
        IEnumerable<IResource> Dependents(IResource target) =>
            edges.Where(n => n.To == target || ModelView.ParentOf(n.To) == target).Select(n => n.From).Where(c => ModelView.ParentOf(c) != target).Distinct();
        string WavesOf(IEnumerable<IResource> components) => Names(components.Select(c => c.GetWave()?.Name).OfType<string>().Distinct());
        string Downstream(IEnumerable<IResource> components) =>
            Names(components.Select(c => c.GetWave()).OfType<WaveResource>().Distinct().SelectMany(model.Downstream).Select(w => w.Name).Distinct());
        string Grep(IEnumerable<IResource> components) => $"\"{string.Join("|", components.Select(c => c.Name))}\"";

        // Operators: cluster-only components other components need.
        var operators = model.Components.Where(c => ModelView.IsClusterOnly(c) && edges.Any(n => n.To == c && n.Kinds.Contains(EdgeKind.WaitFor))).ToList();
        if (operators.Count > 0)
        {
            var wave = operators[0].GetWave()?.Name ?? "<wave>";
            Problem(doc, "Operator not ready",
                $"Components that need an operator ({Names(operators.SelectMany(Dependents).Select(c => c.Name).Distinct())}) fail because {Names(operators.Select(o => o.Name))} are not fully initialized.",
                $"Locally the operators are *{ClusterOnlyResource.StateText}* and count as ready, so this happens only in a cluster: the Kustomization of {WavesOf(operators)} " +
                $"stays not ready and {Downstream(operators)} wait for it.",
                [
                    "flux get kustomizations",
                    $"kubectl get kustomization {wave} -n flux-system -o yaml",
                    "flux get helmreleases --all-namespaces",
                    $"kubectl get pods --all-namespaces | grep -E {Grep(operators)}",
                ]);
        }

        // Data layer: the stateful servers and whatever connects to them.
        var data = model.Components.Where(c => c.HasAnnotationOfType<DataLayerAnnotation>()).ToList();
        if (data.Count > 0)
        {
            var users = data.SelectMany(Dependents).Distinct().ToList();
            Problem(doc, "Database connection",
                $"{Names(users.Select(c => c.Name))} fail because {Names(data.Select(c => c.Name))} do not accept connections yet.",
                $"{Names(data.Select(c => c.Name))} are *{KnownResourceStates.Running}* but not *Healthy* (see [health checks](#health-checks)); {WavesOf(data)} stays " +
                $"*{WaveMonitor.ReconcilingState}*, then *{KnownResourceStates.FailedToStart}* with `{NotReadyProperty}` naming them; {Names(users.Select(c => c.Name))} " +
                $"stay *{KnownResourceStates.Waiting}*. Their logs (console logs of the resource) say why.",
                [
                    .. data.Select(c => c.GetWave()?.Name).OfType<string>().Distinct().Select(w => $"kubectl get kustomization {w} -n flux-system -o yaml"),
                    .. data.OfType<PostgresServerResource>().Any() ? new[] { "kubectl get clusters.postgresql.cnpg.io --all-namespaces" } : [],
                    $"kubectl get pods --all-namespaces | grep -E {Grep(data)}",
                ]);
        }

        // Secret sync: the cluster-only component that reads the secrets LocalStack seeds (External Secrets).
        var stores = model.Components.OfType<LocalStackResource>().Where(l => l.Secrets.Count > 0).ToList();
        var syncers = model.Components.Where(c => ModelView.IsClusterOnly(c) && edges.Any(n => n.From == c && stores.Contains(n.To))).ToList();
        if (syncers.Count > 0)
        {
            var consumers = syncers.SelectMany(Dependents).Distinct().ToList();
            Problem(doc, "Secret sync",
                $"{Names(consumers.Select(c => c.Name))} fail because {Names(syncers.Select(c => c.Name))} has not synced their credentials " +
                $"({Names(stores.SelectMany(s => s.Secrets).Select(s => s.Name))} in {Names(stores.Select(s => s.Name))}'s Secrets Manager).",
                $"Locally {Names(stores.Select(s => s.Name))} seeds these secrets from secret parameters and is *Healthy* only once its init script " +
                $"completed (see [health checks](#health-checks)); {Names(syncers.Select(c => c.Name))} is *{ClusterOnlyResource.StateText}*.",
                [
                    "kubectl get clustersecretstores",
                    "kubectl get externalsecrets --all-namespaces",
                    $"kubectl get secrets --all-namespaces | grep -E {Grep(consumers)}",
                ]);
        }

        // Ingress: everything with a route is reached through Traefik.
        var ingresses = model.Components.OfType<TraefikResource>().ToList();
        if (ingresses.Count > 0)
        {
            var routed = model.Components.Where(c => c.HasAnnotationOfType<TraefikRouteAnnotation>()).ToList();
            Problem(doc, "Network policies / ingress",
                $"{Names(routed.Select(c => c.Name))} cannot be reached because {Names(ingresses.Select(c => c.Name))} or its routes are not ready, " +
                "or a network policy blocks the traffic.",
                $"{Names(ingresses.Select(c => c.Name))} not *Healthy* keeps {WavesOf(ingresses)} *{WaveMonitor.ReconcilingState}* and every wave after it " +
                $"*{KnownResourceStates.Waiting}*; its dashboard (see [ports](#local-ports-and-urls)) lists the routes it serves.",
                [
                    $"kubectl get pods --all-namespaces | grep -E {Grep(ingresses)}",
                    "kubectl get ingressroutes,ingresses --all-namespaces",
                    "kubectl get networkpolicies --all-namespaces",
                ]);
        }

        doc.Heading(3, "Stuck wave")
            .Paragraph($"A wave that stays *{WaveMonitor.ReconcilingState}* in a cluster: force its reconciliation, e.g.")
            .Code("bash", model.Waves.Select(w => $"flux reconcile kustomization {w.Name} --with-source"));
    }

    private static void Problem(MarkdownWriter doc, string title, string symptom, string dashboard, IEnumerable<string> commands) =>
        doc.Heading(4, title)
            .Paragraph($"**Symptom.** {symptom}")
            .Paragraph($"**Dashboard.** {dashboard}")
            .Code("bash", commands);
}
