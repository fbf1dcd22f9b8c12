using k8s.Models;

namespace FleetInfra.Hosting.Publishing.Workloads;

/// <summary>
/// The cluster configuration wave: RBAC, quotas and limit ranges of the namespaces it creates, and what the charts'
/// operators need from it (<see cref="HelmChart.ClusterConfiguration"/>, e.g. the store every ExternalSecret reads from).
/// Namespaces, service accounts and network policies are added by the publisher, derived from the other components.
/// </summary>
internal static class ClusterConfigWriter
{
    public const string NamespacesFile = "namespaces.yaml";
    public const string ServiceAccountsFile = "service-accounts.yaml";
    public const string NetworkPoliciesFile = "network-policies.yaml";

    public static void Write(IResource config, FluxBuildContext context)
    {
        var ns = context.Environment.WorkloadNamespace;
        var labels = context.Labels(config);

        context.Add(config, "rbac.yaml", new V1Role
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "Role",
            Metadata = new V1ObjectMeta { Name = "fleet-infra-operator", NamespaceProperty = ns, Labels = labels },
            Rules =
            [
                new V1PolicyRule { ApiGroups = [""], Resources = ["pods", "pods/log", "services", "events"], Verbs = ["get", "list", "watch"] },
                new V1PolicyRule { ApiGroups = [""], Resources = ["pods"], Verbs = ["delete"] },
                new V1PolicyRule { ApiGroups = ["apps"], Resources = ["deployments", "statefulsets"], Verbs = ["get", "list", "watch", "patch"] },
                new V1PolicyRule { ApiGroups = ["batch"], Resources = ["jobs"], Verbs = ["get", "list", "watch"] },
            ],
        });
        context.Add(config, "rbac.yaml", new V1RoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "RoleBinding",
            Metadata = new V1ObjectMeta { Name = "fleet-infra-operators", NamespaceProperty = ns, Labels = labels },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "fleet-infra-operator" },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = "fleet-infra:operators" }],
        });

        // Production is stricter: a smaller quota and a lower per-container ceiling.
        var strict = context.Cluster.Strict;
        context.Add(config, "quotas.yaml", new V1ResourceQuota
        {
            ApiVersion = "v1",
            Kind = "ResourceQuota",
            Metadata = new V1ObjectMeta { Name = "fleet-infra-quota", NamespaceProperty = ns, Labels = labels },
            Spec = new V1ResourceQuotaSpec
            {
                Hard = new Dictionary<string, ResourceQuantity>
                {
                    ["requests.cpu"] = new(strict ? "6" : "8"),
                    ["requests.memory"] = new(strict ? "12Gi" : "16Gi"),
                    ["limits.cpu"] = new(strict ? "12" : "20"),
                    ["limits.memory"] = new(strict ? "16Gi" : "32Gi"),
                    ["persistentvolumeclaims"] = new("20"),
                    ["pods"] = new("40"),
                },
            },
        });

        // What the charts' operators need from the cluster configuration (a secrets operator's store), chart by chart.
        foreach (var chart in HelmReleaseWriter.Charts(FluxPublisher.Components(context.Model)))
        {
            chart.ClusterConfiguration?.Invoke(config, context);
        }
    }

    /// <summary>Defaults and ceilings per container, so every pod is admitted by the quota.</summary>
    public static V1LimitRange LimitRange(FluxBuildContext context, IResource config, string ns) => new()
    {
        ApiVersion = "v1",
        Kind = "LimitRange",
        Metadata = new V1ObjectMeta { Name = "container-limits", NamespaceProperty = ns, Labels = context.Labels(config) },
        Spec = new V1LimitRangeSpec
        {
            Limits =
            [
                new V1LimitRangeItem
                {
                    Type = "Container",
                    DefaultRequest = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("128Mi") },
                    DefaultProperty = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("512Mi") },
                    Max = new Dictionary<string, ResourceQuantity>
                    {
                        ["cpu"] = new(context.Cluster.Strict ? "1" : "2"),
                        ["memory"] = new(context.Cluster.Strict ? "2Gi" : "4Gi"),
                    },
                },
            ],
        },
    };
}
