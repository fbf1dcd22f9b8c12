using k8s.Models;

namespace FleetInfra.Hosting.Publishing.Lint;

/// <summary>service-selector: a Service's selector matches the pods of a workload in its namespace.</summary>
internal sealed class ServiceSelectorRule : IFluxLintRule
{
    public string Name => "service-selector";

    public void Check(FluxLintContext context, FluxObject o)
    {
        if (o.Value is not V1Service { Spec.Selector: { Count: > 0 } selector })
        {
            return;
        }

        var ns = o.Value.Metadata.NamespaceProperty;
        var matches = context.PodLabelsIn(ns).Any(labels => selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value));
        if (!matches)
        {
            context.Report(o, $"selector {{{string.Join(", ", selector.Select(s => $"{s.Key}={s.Value}"))}}} matches no workload's pods in namespace '{ns}'",
                "select the labels of the workload's pod template (app.kubernetes.io/name and app.kubernetes.io/part-of)");
        }
    }
}
