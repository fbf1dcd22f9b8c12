namespace FleetInfra.Hosting.Publishing.Lint;

/// <summary>served-api: no API version current clusters no longer serve (Kubernetes' and Flux's here, operators' in their charts).</summary>
internal sealed class ServedApiRule : IFluxLintRule
{
    /// <summary>
    /// API versions of Kubernetes (1.32) and Flux that clusters no longer serve, with their replacement; operators' retired
    /// versions are their charts' (<see cref="HelmChart.RetiredApiVersions"/>).
    /// </summary>
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
        ["helm.toolkit.fluxcd.io/v2beta1"] = "helm.toolkit.fluxcd.io/v2",
        ["helm.toolkit.fluxcd.io/v2beta2"] = "helm.toolkit.fluxcd.io/v2",
        ["kustomize.toolkit.fluxcd.io/v1beta1"] = "kustomize.toolkit.fluxcd.io/v1",
        ["kustomize.toolkit.fluxcd.io/v1beta2"] = "kustomize.toolkit.fluxcd.io/v1",
        ["source.toolkit.fluxcd.io/v1beta1"] = "source.toolkit.fluxcd.io/v1",
    };

    public string Name => "served-api";

    public void Check(FluxLintContext context, FluxObject o)
    {
        var apiVersion = o.Value.ApiVersion;
        var replacement = RemovedApiVersions.GetValueOrDefault(apiVersion)
            ?? context.Build.Charts.Select(c => c.RetiredApiVersions.GetValueOrDefault(apiVersion)).FirstOrDefault(r => r is not null);
        if (replacement is not null)
        {
            context.Report(o, $"apiVersion '{apiVersion}' is no longer served", $"use {replacement}");
        }
    }
}
