namespace FleetInfra.Hosting.Publishing.Lint;

/// <summary>One check of the publish lint, run on every object of a cluster overlay.</summary>
internal interface IFluxLintRule
{
    /// <summary>The rule's name (as the lint's summary lists it).</summary>
    string Name { get; }

    /// <summary>Reports through <see cref="FluxLintContext.Report"/> what is wrong with <paramref name="o"/>.</summary>
    void Check(FluxLintContext context, FluxObject o);
}

/// <summary>
/// Lint rules a component contributes for the objects it writes (e.g. the cluster's ingress for its routes); they run
/// after the publisher's own rules, on every object.
/// </summary>
/// <param name="Rules">The rules.</param>
internal sealed record FluxLintRuleAnnotation(IReadOnlyList<IFluxLintRule> Rules) : IResourceAnnotation;
