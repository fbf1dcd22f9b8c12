using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Manifests;

namespace FleetInfra.Hosting.Components.WeaveGitOps;

/// <summary>The Weave GitOps dashboard (cluster only): its Helm chart, pinned, and the admin's login.</summary>
public static class WeaveGitOpsChart
{
    private const string UserSecret = "cluster-user-auth";
    private const string Admin = "admin";

    /// <summary>
    /// Weave GitOps dashboard (an OCI chart; runs beside Flux in flux-system). 4.0.36 (v0.38, Dec 2023) is the last
    /// release; it reads HelmReleases as helm.toolkit.fluxcd.io/v2beta1, which Flux 2.7 removed (weaveworks/weave-gitops#5223).
    /// </summary>
    public static HelmChart Chart { get; } = new("weave-gitops", "oci://ghcr.io/weaveworks/charts", "weave-gitops", "4.0.36", "flux-system", "weave-gitops")
    {
        PodName = "weave-gitops",
        SupportedFlux = "Flux 2.5 and 2.6 only: its last release (0.38) reads HelmReleases as `helm.toolkit.fluxcd.io/v2beta1`, which Flux 2.7 removed (weaveworks/weave-gitops#5223); on newer Flux its HelmRelease views fail while the rest of the tree works",
        // The last 2.6 release (2025-07-08, fluxcd/flux2 releases/tag/v2.6.4); 2.7 removed helm.toolkit.fluxcd.io/v2beta1.
        NewestFlux = "v2.6.4",
        Values = Values,
    };

    private static IDictionary<string, object> Values(HelmReleaseContext release)
    {
        // The admin signs in with the secret cluster-user-auth (username, bcrypt hash of the password), which the
        // chart must not create itself (weave-gitops charts/gitops-server/values.yaml: adminUser.create,
        // adminUser.createSecret; the server reads the secret by that name).
        var chart = release.Chart;
        var admin = release.Members.Select(m => m.Annotations.OfType<ChartAdminPasswordAnnotation>().LastOrDefault()).OfType<ChartAdminPasswordAnnotation>().FirstOrDefault();
        if (admin is not null)
        {
            release.References.Add(new FluxReference("Secret", chart.Namespace, UserSecret, "spec.values.adminUser"));
            WriteLogin(release);
        }

        return new Dictionary<string, object>
        {
            ["adminUser"] = admin is null
                ? new Dictionary<string, object> { ["create"] = false }
                : new Dictionary<string, object> { ["create"] = true, ["createSecret"] = false, ["username"] = Admin },
            ["resources"] = HelmReleaseContext.Resources("50m", "64Mi", "250m", "256Mi"),
        };
    }

    /// <summary>
    /// The login secret: the password from Secrets Manager, hashed with bcrypt by External Secrets' template engine (v2
    /// templates carry the sprig functions, bcrypt among them: external-secrets docs/guides/templating.md). Written by the
    /// release's first member, when it carries the admin password.
    /// </summary>
    private static void WriteLogin(HelmReleaseContext release)
    {
        var component = release.Members[0];
        if (component.Annotations.OfType<ChartAdminPasswordAnnotation>().LastOrDefault() is not { } admin)
        {
            return;
        }

        var remote = release.RemoteSecret(component, admin.Password, "its admin password");
        release.AddAfterRelease(component, FluxBuildContext.ExternalSecret(release.Chart.Namespace, UserSecret, release.Build.Labels(component),
            [new ExternalSecretData("password", new ExternalSecretRemoteRef(remote))],
            new ExternalSecretTemplate(new Dictionary<string, string> { ["username"] = Admin, ["password"] = "{{ .password | bcrypt }}" })));
    }
}
