using FleetInfra.Hosting.Components.Traefik;
using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Waves;
using static FleetInfra.Hosting.Documentation.MarkdownWriter;

namespace FleetInfra.Hosting.Documentation;

/// <summary>
/// The documents derived from the app model: <c>docs/dependencies.md</c> (what the seed's hand-written
/// dependency document covered), <c>docs/architecture.md</c> and the architecture region of <c>README.md</c>.
/// Output is deterministic: model order, LF newlines, no timestamps or machine paths.
/// </summary>
public static class FleetDocumentation
{
    /// <summary>The command that regenerates every derived file, run from the repository root.</summary>
    public const string RegenerateCommand = "dotnet run --project FleetInfra.AppHost -- --operation publish --step " + DocumentationStep.Name;

    /// <summary>The name of the README region holding <see cref="Architecture"/>.</summary>
    public const string ArchitectureRegion = "architecture";

    /// <summary>The name of the README region holding <see cref="Ports"/>.</summary>
    public const string PortsRegion = "ports";

    /// <summary>The README's generated regions, in the order they appear, with their content.</summary>
    public static IReadOnlyList<(string Region, string Content)> ReadmeRegions(IEnumerable<IResource> resources)
    {
        var list = resources.ToList();
        return [(ArchitectureRegion, Architecture(list)), (PortsRegion, Ports(list))];
    }

    // First line of every generated file or region: says so to whoever opens the raw text.
    private static readonly string s_header =
        $"<!-- Generated from the FleetInfra app model by FleetInfra.Hosting/Documentation. Do not edit by hand; regenerate with: {RegenerateCommand} -->";

    // The same, visible on the rendered page.
    private static readonly string s_notice =
        $"> Generated from the app model — do not edit by hand. Regenerate every derived file with `{RegenerateCommand}` ([how](generating.md)).";

    /// <summary>The content of README.md's architecture region: the picture and a line saying what it shows.</summary>
    public static string Architecture(IEnumerable<IResource> resources) =>
        new MarkdownWriter().Line(s_header).Raw(ArchitectureBody(new ModelView(resources), docsLink: "docs/")).ToString();

    /// <summary>The content of README.md's ports region: the table of docs/dependencies.md's "Local ports and URLs".</summary>
    public static string Ports(IEnumerable<IResource> resources) =>
        EndpointTable(new MarkdownWriter().Line(s_header), new ModelView(resources)).ToString();

    /// <summary><c>docs/architecture.md</c>.</summary>
    public static string ArchitectureDocument(IEnumerable<IResource> resources) =>
        new MarkdownWriter().Line(s_header).Heading(1, "Architecture").Paragraph(s_notice)
            .Raw(ArchitectureBody(new ModelView(resources), docsLink: "")).ToString();

    private static string ArchitectureBody(ModelView model, string docsLink) =>
        new MarkdownWriter()
            .Paragraph(
                "The stack as the app model declares it: one box per deployment wave (a Flux Kustomization, with its timeout), " +
                "thick arrows for `dependsOn`, a dotted arrow for an edge the model adds to the seed's table. Grey dashed components " +
                $"run only in a cluster. Service-level dependencies, critical path, ports and troubleshooting: [{docsLink}dependencies.md]({docsLink}dependencies.md).")
            .Raw(MermaidFlowchart.Render(model, serviceEdges: false))
            .ToString();

    /// <summary><c>docs/dependencies.md</c>.</summary>
    /// <param name="resources">The model's resources.</param>
    /// <param name="services">The app's services, used to name custom health checks; optional.</param>
    public static string Dependencies(IEnumerable<IResource> resources, IServiceProvider? services = null)
    {
        var model = new ModelView(resources);
        var analysis = CriticalPathAnalysis.Analyze(model.Waves);
        var seed = CriticalPathAnalysis.Analyze(model.Waves, seedEdgesOnly: true);
        var doc = new MarkdownWriter();

        doc.Line(s_header)
            .Heading(1, "fleet-infra service dependencies")
            .Paragraph(s_notice)
            .Paragraph(
                $"How the fleet-infra stack comes up: {model.Waves.Count} waves (Flux Kustomizations with `wait: true` and a `timeout`) and " +
                $"{model.Components.Count} components, {model.Components.Count(ModelView.IsClusterOnly)} of them cluster only. Everything here is " +
                "derived from the app model in `FleetInfra.AppHost/Program.cs`; it replaces the hand-maintained seed document, which drifted from " +
                "the YAML it described.");

        doc.Heading(2, "Dependency flow")
            .Raw(MermaidFlowchart.Render(model, serviceEdges: true)).Line()
            .Paragraph(
                "Thick arrows: a wave's `dependsOn`. Dotted arrow: an edge the model adds to the seed's table (see [deviations](#deviations-from-the-seed)). " +
                "Thin arrows point from what is needed to what needs it, labelled with the purpose where the model states one; dotted lines from an ingress " +
                "are routes; cylinders are databases, hexagons jobs that run to completion, grey dashed boxes components that run only in a cluster.");

        doc.Heading(2, "Waves")
            .Paragraph("A wave starts when every wave it depends on is ready and is ready when all of its members are (a job when it exited with 0); " +
                "it fails when that takes longer than its timeout. *Ready at the latest* is the worst case, every wave using its whole timeout.")
            .Table(["wave", "members", "dependsOn", "timeout", "ready at the latest", "local run"],
                model.Waves.Select(wave => new[]
                {
                    C(wave.Name),
                    string.Join(", ", model.ComponentsIn(wave).Where(c => ModelView.ParentOf(c) is null).Select(m => Member(model, m))),
                    wave.DependsOn.Count == 0 ? "—" : string.Join(", ", wave.DependsOn.Select(d => C(d.Wave.Name) + (d.Deviation is null ? "" : " (added)"))),
                    FleetInfraSettings.FormatDuration(wave.DeclaredTimeout),
                    FleetInfraSettings.FormatDuration(analysis.LatestReady.Single(r => r.Wave == wave).LatestReady),
                    LocalRun(model.ComponentsIn(wave).ToList()),
                }))
            .Paragraph("*Italic*: cluster only (shown as *Cluster only* in the dashboard and counted as ready locally). " +
                "Timeouts are the declared ones; `FleetInfra:Waves:<wave>:Timeout` can override them for a local run.");

        var deviations = model.Waves.SelectMany(w => w.DependsOn.Where(d => d.Deviation is not null).Select(d => (Wave: w, Dependency: d))).ToList();
        doc.Heading(2, "Deviations from the seed");
        if (deviations.Count == 0)
        {
            doc.Paragraph("None: the waves' `dependsOn` are exactly the seed's.");
        }
        else
        {
            doc.Paragraph("Edges the model adds to the seed's wave table, because a real cluster would trip without them:");
            foreach (var (wave, dependency) in deviations)
            {
                doc.Line($"- {C(wave.Name)} also depends on {C(dependency.Wave.Name)}: {dependency.Deviation}");
            }

            doc.Line();
        }

        doc.Heading(2, "Critical path")
            .Paragraph("Worst case: each wave starts when the last of its upstream waves is ready and uses its whole timeout. One path per end wave " +
                "(a wave nothing depends on) — the parallel branches of the deployment; the longest bounds the whole deployment.")
            .Paragraph($"**Longest path (model): {FleetInfraSettings.FormatDuration(analysis.Longest)}** — {string.Join("; and ", analysis.Critical.Select(p => $"`{p}`"))}.");
        PathTable(doc, analysis);
        doc.Paragraph($"On the seed's edges (the model's minus the deviations) the longest path is **{FleetInfraSettings.FormatDuration(seed.Longest)}** — " +
            $"{string.Join("; and ", seed.Critical.Select(p => $"`{p}`"))}:");
        PathTable(doc, seed);
        if (analysis.Longest != seed.Longest)
        {
            doc.Paragraph($"The deviations add {FleetInfraSettings.FormatDuration(analysis.Longest - seed.Longest)} to the worst case.");
        }

        doc.Heading(2, "Service-level dependencies")
            .Paragraph("Every edge between components, from the model's `WaitFor`, `WaitForCompletion`, references and routes; *why* is the purpose the model states (`Needs`).")
            .Table(["component", "wave", "needs", "how", "why"],
                model.Needs.Select(n => new[] { C(n.From.Name), WaveName(n.From), C(n.To.Name), n.How, n.Purpose ?? "—" }));

        Endpoints(doc, model);
        HealthChecks(doc, model, new HealthCheckDescriptions(services));
        Troubleshooting.Write(doc, model);
        return doc.ToString();
    }

    private static void PathTable(MarkdownWriter doc, CriticalPathAnalysis analysis) =>
        doc.Table(["end wave", "path", "total"],
            analysis.Paths.Select(p => new[]
            {
                C(p.End.Name),
                string.Join(" → ", p.Waves.Select(w => $"{w.Name} ({FleetInfraSettings.FormatDuration(w.DeclaredTimeout)})")),
                p.Total == analysis.Longest ? $"**{FleetInfraSettings.FormatDuration(p.Total)}** (critical)" : FleetInfraSettings.FormatDuration(p.Total),
            }));

    // One row per endpoint: component, endpoint, local address, route through Traefik, the key that moves its host port.
    private static MarkdownWriter EndpointTable(MarkdownWriter doc, ModelView model)
    {
        var rows = new List<string[]>();
        var keys = HostPorts.Keys(model.Components);
        foreach (var component in model.Components)
        {
            var routes = component.Annotations.OfType<TraefikRouteAnnotation>().ToList();
            foreach (var endpoint in component.Annotations.OfType<EndpointAnnotation>())
            {
                var address = endpoint.Port is not { } port ? "port chosen at run time"
                    : endpoint.UriScheme is "http" or "https" ? $"{endpoint.UriScheme}://localhost:{port}"
                    : $"`localhost:{port}` ({endpoint.UriScheme})";
                var routed = routes.Where(r => r.EndpointName == endpoint.Name)
                    .Select(r => r.Traefik.Annotations.OfType<EndpointAnnotation>().FirstOrDefault(e => e.Name == TraefikResource.WebEndpointName)?.Port is { } web
                        ? $"http://{TraefikRouteAnnotation.HostFor(component)}:{web}"
                        : $"http://{TraefikRouteAnnotation.HostFor(component)} (Traefik's port chosen at run time)");
                rows.Add([C(component.Name), C(endpoint.Name), address, routed.Any() ? string.Join(", ", routed) : "—", C(keys[endpoint])]);
            }
        }

        return doc.Table(["component", "endpoint", "local address", "through Traefik", "local override"], rows);
    }

    private static void Endpoints(MarkdownWriter doc, ModelView model)
    {
        doc.Heading(2, "Local ports and URLs")
            .Paragraph("Host ports of a local run (`aspire run`); in a cluster use `kubectl port-forward` to the same ports. Routed UIs also answer on their " +
                "`<name>.localhost` host through Traefik.")
            .Paragraph($"The key in the last column moves a host port for a local run: a free port, or `{FleetInfraSettings.AutoPort}` to let Aspire pick one " +
                "(URLs and Traefik's routes follow; the cluster tree keeps the declared ports). Before anything starts, a local run checks every fixed host port " +
                "and stops, naming the resource, the port and this key, when a port is given twice or another program already holds it.");
        EndpointTable(doc, model);
    }

    private static void HealthChecks(MarkdownWriter doc, ModelView model, HealthCheckDescriptions descriptions)
    {
        doc.Heading(2, "Health checks")
            .Paragraph("What *healthy* means for each component: its wave is ready once every member's checks pass (Flux `wait: true`). " +
                "The key is the check's name in the dashboard.")
            .Table(["component", "health check", "passes when"],
                model.Components.SelectMany(c => c.Annotations.OfType<HealthCheckAnnotation>().Select(h => new[] { C(c.Name), C(h.Key), descriptions.Describe(c, h.Key) })));

        var withoutCheck = model.Components.Where(c => !c.HasAnnotationOfType<HealthCheckAnnotation>()).ToList();
        if (withoutCheck.Count > 0)
        {
            doc.Paragraph("Without a check: " + string.Join("; ", withoutCheck
                .GroupBy(c => ModelView.IsClusterOnly(c) ? $"cluster only, shown as *{Components.ClusterOnly.ClusterOnlyResource.StateText}* and ready at once"
                    : c.HasAnnotationOfType<RunsToCompletionAnnotation>() ? "jobs, ready when they exit with 0"
                    : "ready when running")
                .Select(g => $"{Names(g.Select(c => c.Name))} ({g.Key})")) + ".");
        }
    }

    // A member with its children: "postgres (appdb, temporal-db)"; cluster-only members in italics.
    private static string Member(ModelView model, IResource member)
    {
        var children = model.Components.Where(c => ModelView.ParentOf(c) == member).Select(c => c.Name).ToList();
        return (ModelView.IsClusterOnly(member) ? $"*{member.Name}*" : member.Name) + (children.Count == 0 ? "" : $" ({string.Join(", ", children)})");
    }

    private static string WaveName(IResource component) => component.GetWave() is { } wave ? C(wave.Name) : "—";

    private static string LocalRun(IReadOnlyList<IResource> components)
    {
        var clusterOnly = components.Count(ModelView.IsClusterOnly);
        return clusterOnly == 0 ? "runs locally"
            : clusterOnly == components.Count ? "cluster only"
            : $"{components.Count - clusterOnly} local, {clusterOnly} cluster only";
    }
}
