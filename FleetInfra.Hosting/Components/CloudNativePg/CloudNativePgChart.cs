using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Manifests;

namespace FleetInfra.Hosting.Components.CloudNativePg;

/// <summary>The CloudNativePG operator (cluster only): its Helm chart, pinned, with its values.</summary>
public static class CloudNativePgChart
{
    /// <summary>CloudNativePG operator.</summary>
    public static HelmChart Chart { get; } = new("cnpg", "https://cloudnative-pg.github.io/charts", "cloudnative-pg", "0.26.1", "cnpg-system", "cnpg")
    {
        ProvidesApiGroups = ["postgresql.cnpg.io"],
        PodName = "cloudnative-pg",
        WebhookPorts = [9443],
        // CNPG Database reports only status.applied (cloudnative-pg v1.27.1 config/crd/bases/postgresql.cnpg.io_databases.yaml):
        // kstatus would count it ready at once. Until it has a status the expression errors and Flux keeps waiting.
        HealthChecks =
        [
            new HealthCheckExpression("postgresql.cnpg.io/v1", "Database",
                Current: "has(status.applied) && status.applied == true",
                Failed: "has(status.applied) && status.applied == false && has(status.message) && status.message != ''"),
        ],
        Values = _ => new Dictionary<string, object>
        {
            ["crds"] = new Dictionary<string, object> { ["create"] = true },
            ["resources"] = HelmReleaseContext.Resources("100m", "128Mi", "500m", "512Mi"),
        },
    };
}
