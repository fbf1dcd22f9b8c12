namespace FleetInfra.Hosting.Publishing.Lint;

/// <summary>container-resources: every container has requests and limits (the namespace's quota admits only such pods).</summary>
internal sealed class ContainerResourcesRule : IFluxLintRule
{
    public string Name => "container-resources";

    public void Check(FluxLintContext context, FluxObject o)
    {
        if (FluxLint.PodSpecOf(o.Value) is not { } pod)
        {
            return;
        }

        foreach (var container in pod.Containers)
        {
            var missing = new[] { "requests.cpu", "requests.memory", "limits.cpu", "limits.memory" }
                .Where(r => (r.StartsWith("requests", StringComparison.Ordinal) ? container.Resources?.Requests : container.Resources?.Limits)?.ContainsKey(r[(r.IndexOf('.') + 1)..]) != true)
                .ToList();
            if (missing.Count > 0)
            {
                context.Report(o, $"container '{container.Name}' has no {string.Join(", ", missing)}", "set requests and limits so the namespace's quota admits the pod");
            }
        }
    }
}

/// <summary>
/// privileged-port: allowPrivilegeEscalation: false sets no_new_privs, so the kernel ignores file capabilities (an image's
/// setcap'd binary); a non-root process then cannot bind below 1024 unless the runtime sets
/// net.ipv4.ip_unprivileged_port_start=0 - Docker does, containerd 1.x and stock CRI-O do not.
/// </summary>
internal sealed class PrivilegedPortRule : IFluxLintRule
{
    public string Name => "privileged-port";

    public void Check(FluxLintContext context, FluxObject o)
    {
        if (FluxLint.PodSpecOf(o.Value) is not { } podSpec)
        {
            return;
        }

        foreach (var container in podSpec.Containers.Concat(podSpec.InitContainers ?? []))
        {
            var user = container.SecurityContext?.RunAsUser ?? podSpec.SecurityContext?.RunAsUser;
            var nonRoot = user is > 0 || (container.SecurityContext?.RunAsNonRoot ?? podSpec.SecurityContext?.RunAsNonRoot) == true;
            if (!nonRoot || container.SecurityContext?.AllowPrivilegeEscalation != false)
            {
                continue;
            }

            foreach (var port in (container.Ports ?? []).Where(p => p.ContainerPort < 1024))
            {
                context.Report(o, $"container '{container.Name}' runs as non-root{(user is { } u ? $" (uid {u})" : "")} with allowPrivilegeEscalation: false but listens on port {port.ContainerPort}; " +
                    "it cannot bind a port below 1024 on runtimes without net.ipv4.ip_unprivileged_port_start=0 (containerd 1.x, CRI-O) and crash-loops",
                    "move it to a port of 1024 or above (images usually have a listen-port variable) and let the Service map the public port");
            }
        }
    }
}
