using FleetInfra.Hosting.Publishing.Manifests;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing.Lint;

/// <summary>
/// public-load-balancer: in a cluster on AWS, a <c>LoadBalancer</c> Service (a Service object, or a chart's
/// <c>service</c> values: <c>service.type</c> and <c>service.annotations</c>, as Traefik's chart v37 takes them) must ask
/// the AWS Load Balancer Controller for an internet-facing NLB with IP targets. Without
/// <c>service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing</c> the controller (v2.2.0 and later) makes an
/// internal NLB, and without <c>aws-load-balancer-type: external</c> the in-tree cloud provider takes the Service instead
/// (kubernetes-sigs/aws-load-balancer-controller docs/guide/service/nlb.md, "secure by default" and "Configuration"); the
/// Service still turns ready, so nothing else reports the ingress unreachable.
/// </summary>
internal sealed class PublicLoadBalancerRule : IFluxLintRule
{
    private const string Prefix = "service.beta.kubernetes.io/";

    /// <summary>The annotations of an internet-facing NLB with IP targets (pods reached directly, no node hop).</summary>
    public static Dictionary<string, object> InternetFacingNlb() => Required.ToDictionary(r => r.Key, r => (object)r.Value, StringComparer.Ordinal);

    private static readonly IReadOnlyDictionary<string, string> Required = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Prefix + "aws-load-balancer-type"] = "external",
        [Prefix + "aws-load-balancer-scheme"] = "internet-facing",
        [Prefix + "aws-load-balancer-nlb-target-type"] = "ip",
    };

    public string Name => "public-load-balancer";

    public void Check(FluxLintContext context, FluxObject o)
    {
        if (context.Build.Cluster.EmulatesAws)
        {
            return;
        }

        IReadOnlyDictionary<string, string>? annotations;
        string where;
        switch (o.Value)
        {
            case V1Service { Spec.Type: "LoadBalancer" } service:
                annotations = service.Metadata.Annotations?.AsReadOnly();
                where = "the Service";
                break;
            case CustomObject<HelmReleaseSpec> { Spec.Values: var values }
                when values.TryGetValue("service", out var s) && s is IDictionary<string, object> chartService
                    && chartService.TryGetValue("type", out var type) && type as string == "LoadBalancer":
                annotations = chartService.TryGetValue("annotations", out var a) && a is IDictionary<string, object> given
                    ? given.ToDictionary(g => g.Key, g => g.Value?.ToString() ?? "", StringComparer.Ordinal)
                    : null;
                where = "the release's values service.annotations";
                break;
            default:
                return;
        }

        var wrong = Required.Where(r => annotations?.GetValueOrDefault(r.Key) != r.Value).Select(r => $"{r.Key}: {r.Value}").ToList();
        if (wrong.Count > 0)
        {
            context.Report(o, $"a LoadBalancer Service on AWS lacks {string.Join(", ", wrong)}; the AWS Load Balancer Controller then makes an internal NLB (or the in-tree provider a Classic one) that the internet cannot reach, and the release still turns Ready",
                $"set these annotations in {where}");
        }
    }
}
