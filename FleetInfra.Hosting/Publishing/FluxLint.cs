using FleetInfra.Hosting.Publishing.Lint;
using k8s;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// Checks one cluster overlay before anything is written. Each problem names the object, its wave and the fix.
/// Rules (Lint/): namespace-order, api-order (CRDs), secret-store-order, service-selector, references (Secrets,
/// ConfigMaps, ServiceAccounts), no-secret-objects, dns-1123 names, served-api (no removed API versions),
/// container-resources, privileged-port (non-root without privilege escalation below 1024), release-timeout (a
/// HelmRelease's retries fit in its wave's timeout), public-load-balancer, job-recovery; components add their own (<see cref="FluxLintRuleAnnotation"/>),
/// e.g. the ingress's checks of its routes.
/// </summary>
internal static class FluxLint
{
    /// <summary>The publisher's rules, in the order they check each object (the order of the problem list).</summary>
    private static readonly IReadOnlyList<IFluxLintRule> s_rules =
    [
        new ServedApiRule(),
        new Dns1123Rule(),
        new NoSecretObjectsRule(),
        new NamespaceOrderRule(),
        new ApiOrderRule(),
        new SecretStoreOrderRule(),
        new ServiceSelectorRule(),
        new ReferencesRule(),
        new ContainerResourcesRule(),
        new PrivilegedPortRule(),
        new ReleaseTimeoutRule(),
        new PublicLoadBalancerRule(),
        new JobRecoveryRule(),
    ];

    /// <summary>The problems of <paramref name="build"/>: object by object, the publisher's rules, then <paramref name="extraRules"/>.</summary>
    public static IEnumerable<string> Check(FluxBuild build, IReadOnlyDictionary<string, FluxWave> waves, IEnumerable<IFluxLintRule>? extraRules = null)
    {
        var context = new FluxLintContext(build, waves);
        var rules = s_rules.Concat(extraRules ?? []).ToList();
        foreach (var o in build.Objects)
        {
            foreach (var rule in rules)
            {
                rule.Check(context, o);
            }
        }

        return context.Problems;
    }

    /// <summary>The lint rules the model's components contribute.</summary>
    public static IReadOnlyList<IFluxLintRule> ContributedRules(DistributedApplicationModel model) =>
        model.Resources.SelectMany(r => r.Annotations.OfType<FluxLintRuleAnnotation>()).SelectMany(a => a.Rules).ToList();

    public static V1PodSpec? PodSpecOf(IKubernetesObject<V1ObjectMeta> value) => value switch
    {
        V1Deployment d => d.Spec.Template.Spec,
        V1StatefulSet s => s.Spec.Template.Spec,
        V1DaemonSet d => d.Spec.Template.Spec,
        V1Job j => j.Spec.Template.Spec,
        _ => null,
    };

    public static IDictionary<string, string>? PodLabelsOf(IKubernetesObject<V1ObjectMeta> value) => value switch
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
