namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>Whether a change restarts a workload's pods, where the object is one that runs pods (else null).</summary>
internal static class RestartImpact
{
    public static string? Of(ObjectChange change)
    {
        var key = change.Key;
        var workload = (key.Group, key.Kind) is ("apps", "Deployment" or "StatefulSet" or "DaemonSet") or ("batch", "Job")
            or ("helm.toolkit.fluxcd.io", "HelmRelease") or ("postgresql.cnpg.io", "Cluster");
        if (!workload)
        {
            return null;
        }

        return change.Kind switch
        {
            ChangeKind.Added => "new pods",
            ChangeKind.Removed => "pods deleted",
            _ => (key.Group, key.Kind) switch
            {
                ("helm.toolkit.fluxcd.io", _) when change.Touches("spec.values") || change.Touches("spec.chart") => "unknown (the chart decides what its values change)",
                ("helm.toolkit.fluxcd.io", _) => "no",
                ("postgresql.cnpg.io", _) when change.Touches("spec") => "unknown (CloudNativePG decides; image and PostgreSQL parameter changes roll the instances)",
                ("batch", _) when change.Touches("spec.template") => "yes (the Job is recreated and runs again, if Flux may force it)",
                (_, _) when change.Touches("spec.template") => "yes (rolling update)",
                _ => "no",
            },
        };
    }
}
