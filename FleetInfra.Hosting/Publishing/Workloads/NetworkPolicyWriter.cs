using FleetInfra.Hosting.Graph;
using FleetInfra.Hosting.Waves;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing.Workloads;

/// <summary>
/// Least privilege from the graph: every namespace FleetInfra creates denies ingress by default; each workload then
/// admits only the components that reference or wait for it (FleetGraph edges), the ingress when it is routed
/// (<see cref="ClusterIngressAnnotation"/>), scrapers on its metrics port (<see cref="ClusterScraperAnnotation"/>), and -
/// for a service its cluster form declares (<see cref="ClusterServiceAnnotation"/>) - its own pods and its operator on
/// their peer ports. Charts' namespaces also allow traffic inside the namespace and the API server on webhook ports.
/// </summary>
internal static class NetworkPolicyWriter
{
    private const string NamespaceLabel = "kubernetes.io/metadata.name";

    /// <summary>A namespace created by the tree, and where its objects (policies) are written.</summary>
    public sealed record CreatedNamespace(string Name, IResource Creator, string Wave, string File, bool ByChart);

    /// <summary>Writes the policies of <paramref name="namespaces"/>; <paramref name="referenced"/>: the ports each source connects to (<see cref="ClusterReferences"/>).</summary>
    public static void Write(FluxBuildContext context, IReadOnlyList<CreatedNamespace> namespaces, IReadOnlyDictionary<(string Source, string Target), SortedSet<int>> referenced)
    {
        var emitted = context.Objects.Select(o => o.Component).ToHashSet(StringComparer.Ordinal);
        var sourcesByTarget = SourcesByTarget(context, FleetGraph.Edges(context.Model.Resources), emitted);
        var components = FluxPublisher.Components(context.Model).Where(c => emitted.Contains(c.Name)).ToList();
        var ingresses = context.Ingresses;
        var scrapers = context.Model.Resources.Select(r => (Resource: r, Scraper: r.Annotations.OfType<ClusterScraperAnnotation>().LastOrDefault()))
            .Where(s => s.Scraper is not null).Select(s => (s.Resource, Targets: s.Scraper!.Targets(context).ToList())).ToList();

        foreach (var created in namespaces)
        {
            var policies = new List<V1NetworkPolicy>
            {
                Policy(created, "default-deny-ingress", new V1LabelSelector(), []),
            };

            if (created.ByChart)
            {
                policies.Add(Policy(created, "allow-same-namespace", new V1LabelSelector(),
                    [new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector() }] }]));
                var webhooks = components.Where(c => context.NamespaceOf(c) == created.Name && c.TryGetLastAnnotation<HelmChartAnnotation>(out _))
                    .SelectMany(c => c.Annotations.OfType<HelmChartAnnotation>().Last().Chart.WebhookPorts).Distinct().ToList();
                if (webhooks.Count > 0)
                {
                    // The API server calls admission webhooks from outside any pod network identity.
                    policies.Add(Policy(created, "allow-webhooks", new V1LabelSelector(), [new V1NetworkPolicyIngressRule { Ports = Ports(webhooks) }]));
                }
            }

            foreach (var target in components.Where(c => context.NamespaceOf(c) == created.Name))
            {
                if (target.Annotations.OfType<ClusterIngressAnnotation>().LastOrDefault() is { } own)
                {
                    // The ingress itself: reachable from anywhere on its public ports.
                    policies.Add(Policy(created, $"allow-{target.Name}-web", PodsOf(target), [new V1NetworkPolicyIngressRule { Ports = Ports(own.PublicPorts(context.Cluster)) }]));
                }

                var rules = new List<V1NetworkPolicyIngressRule>();
                var (selector, ports) = Pods(context, target);
                if (selector is null)
                {
                    continue;
                }

                var sources = sourcesByTarget.GetValueOrDefault(target.Name)?.OrderBy(r => r.Name, StringComparer.Ordinal).ToList() ?? [];
                if (sources.Count > 0 && ports.Count > 0 && HelmReleaseWriter.RoutedService(target) is null)
                {
                    // Each source on the ports its references connect to; one that only waits for the target, or reaches it in
                    // a way the model's values do not show (a configuration file), on every port of the target.
                    foreach (var group in sources.GroupBy(s => string.Join(',', PortsFor(s, target, ports, referenced))))
                    {
                        rules.Add(new V1NetworkPolicyIngressRule
                        {
                            FromProperty = group.Select(s => Peer(context, s)).ToList(),
                            Ports = Ports(PortsFor(group.First(), target, ports, referenced)),
                        });
                    }
                }

                foreach (var (ingressResource, ingress) in ingresses)
                {
                    if (ingress.RouteEndpoint(target) is { } endpoint)
                    {
                        var port = HelmReleaseWriter.RoutedService(target)?.PodPort ?? FluxBuildContext.TargetPort(target, endpoint);
                        rules.Add(new V1NetworkPolicyIngressRule { FromProperty = [Peer(context, ingressResource)], Ports = Ports([port]) });
                    }
                }

                foreach (var (scraper, targets) in scrapers)
                {
                    var scrapes = targets.Where(t => t.Resource == target).Select(t => t.Port).Distinct().ToList();
                    if (scrapes.Count > 0)
                    {
                        rules.Add(new V1NetworkPolicyIngressRule { FromProperty = [Peer(context, scraper)], Ports = Ports(scrapes) });
                    }
                }

                if (FluxBuildContext.ClusterService(target) is { PeerPorts.Count: > 0 } service)
                {
                    // Between the service's own pods (replication) and from its operator (status and management calls).
                    rules.Add(new V1NetworkPolicyIngressRule
                    {
                        FromProperty = [new V1NetworkPolicyPeer { PodSelector = service.Selector() }, .. service.Operator is { } op ? [ChartPeer(op)] : Array.Empty<V1NetworkPolicyPeer>()],
                        Ports = Ports(service.PeerPorts),
                    });
                }

                if (rules.Count > 0)
                {
                    policies.Add(Policy(created, $"allow-{target.Name}", selector, rules));
                }
            }

            foreach (var (scraper, targets) in scrapers)
            {
                // Metrics a chart serves (its own pods, in this namespace): a policy of their own, since no FleetInfra workload selects them.
                foreach (var pods in targets.Where(t => t.Namespace == created.Name && t.Resource.HasAnnotationOfType<HelmChartAnnotation>()).GroupBy(t => t.PodName))
                {
                    policies.Add(Policy(created, $"allow-{scraper.Name}-metrics", PodSelector(pods.Key),
                        [new V1NetworkPolicyIngressRule { FromProperty = [Peer(context, scraper)], Ports = Ports(pods.Select(t => t.Port)) }]));
                }
            }

            foreach (var policy in policies)
            {
                context.Objects.Add(new FluxObject(created.Wave, created.Creator.Name, created.File == ClusterConfigWriter.NamespacesFile ? ClusterConfigWriter.NetworkPoliciesFile : created.File, policy));
            }
        }
    }

    private static List<int> PortsFor(IResource source, IResource target, List<int> ports, IReadOnlyDictionary<(string Source, string Target), SortedSet<int>> referenced) =>
        referenced.TryGetValue((source.Name, target.Name), out var used) && ports.Intersect(used).Order().ToList() is { Count: > 0 } some ? some : ports.Order().ToList();

    /// <summary>
    /// Who references or waits for each component, by the component's name: the published components at the other end
    /// of its WaitFor and Reference edges (an edge to a database counts for its server too). One pass over the edges, so a
    /// model with many components pays per edge, not per edge and component.
    /// </summary>
    private static Dictionary<string, HashSet<IResource>> SourcesByTarget(FluxBuildContext context, IReadOnlyList<FleetEdge> edges, HashSet<string> emitted)
    {
        var byName = new Dictionary<string, IResource>(StringComparer.Ordinal);
        foreach (var resource in context.Model.Resources)
        {
            byName.TryAdd(resource.Name, resource);
        }

        var sources = new Dictionary<string, HashSet<IResource>>(StringComparer.Ordinal);
        void Add(string target, IResource source)
        {
            if (source.Name != target)
            {
                (sources.TryGetValue(target, out var set) ? set : sources[target] = []).Add(source);
            }
        }

        foreach (var edge in edges.Where(e => e.Kind is EdgeKind.WaitFor or EdgeKind.WaitForCompletion or EdgeKind.Reference))
        {
            if (!byName.TryGetValue(edge.From, out var source) || source is WaveResource || !emitted.Contains(source.Name))
            {
                continue;
            }

            Add(edge.To, source);
            if (byName.TryGetValue(edge.To, out var to) && FluxBuildContext.ServiceOwner(to) is var owner && owner != to)
            {
                Add(owner.Name, source);
            }
        }

        return sources;
    }

    /// <summary>The pods FleetInfra runs for a component (charts' pods are the charts' business) and their ports.</summary>
    private static (V1LabelSelector? Selector, List<int> Ports) Pods(FluxBuildContext context, IResource target) => target switch
    {
        _ when HelmReleaseWriter.RoutedService(target) is { } chart => (PodSelector(chart.PodName), [chart.PodPort]),
        _ when target.HasAnnotationOfType<HelmChartAnnotation>() => (null, []),
        _ when FluxBuildContext.ClusterService(target) is { } service => (service.Selector(), [service.Port]),
        ContainerResource => (new V1LabelSelector { MatchLabels = FluxBuildContext.SelectorLabels(target) }, ContainerSpecs.Ports(target).Select(p => p.ContainerPort).ToList()),
        _ => (null, []),
    };

    /// <summary>The pods of a component: its chart's main pods, else its FleetInfra workload's.</summary>
    private static V1LabelSelector PodsOf(IResource component) =>
        component.TryGetLastAnnotation<HelmChartAnnotation>(out var chart) && chart.Chart.PodName is { } pod
            ? PodSelector(pod)
            : new V1LabelSelector { MatchLabels = FluxBuildContext.SelectorLabels(component) };

    private static V1LabelSelector PodSelector(string name) => new() { MatchLabels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = name } };

    private static V1NetworkPolicyPeer ChartPeer(HelmChart chart) => new()
    {
        NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [NamespaceLabel] = chart.Namespace } },
        PodSelector = PodSelector(chart.PodName!),
    };

    private static V1NetworkPolicyPeer Peer(FluxBuildContext context, IResource source)
    {
        if (source.TryGetLastAnnotation<HelmChartAnnotation>(out var chart))
        {
            return ChartPeer(chart.Chart);
        }

        var ns = context.NamespaceOf(source);
        return new V1NetworkPolicyPeer
        {
            NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [NamespaceLabel] = ns } },
            PodSelector = FluxBuildContext.ClusterService(source)?.Selector() ?? new V1LabelSelector { MatchLabels = FluxBuildContext.SelectorLabels(source) },
        };
    }

    private static List<V1NetworkPolicyPort> Ports(IEnumerable<int> ports) =>
        ports.Distinct().Order().Select(p => new V1NetworkPolicyPort { Port = p, Protocol = "TCP" }).ToList();

    private static V1NetworkPolicy Policy(CreatedNamespace ns, string name, V1LabelSelector selector, List<V1NetworkPolicyIngressRule> rules) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns.Name, Labels = FluxBuildContext.Labels(ns.Creator.Name, ns.Wave) },
        Spec = new V1NetworkPolicySpec { PodSelector = selector, PolicyTypes = ["Ingress"], Ingress = rules },
    };
}
