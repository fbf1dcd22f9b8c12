using FleetInfra.Hosting.Graph;
using FleetInfra.Hosting.Waves;

namespace FleetInfra.Hosting.Passes;

/// <summary>
/// <c>FleetInfra:Exclude</c> (local run only): removes the named components and what cannot work without them (a child,
/// a user of their address or credentials, a waiter for their completion); a plain WaitFor edge on them is only dropped.
/// Every change is one line of the exclusion log.
/// </summary>
internal sealed class ExclusionPass : IModelPass
{
    public void Apply(ModelPassContext context)
    {
        if (!context.IsRunMode || context.Settings.Exclude.Count == 0)
        {
            return;
        }

        var names = context.Settings.Exclude;
        var log = context.ExclusionLog;
        var resources = context.App.Resources;
        var excluded = new Dictionary<IResource, string>();
        foreach (var resource in resources.Where(r => names.Contains(r.Name, StringComparer.OrdinalIgnoreCase)))
        {
            excluded[resource] = "FleetInfra:Exclude";
        }

        // A component that cannot work without an excluded one (it is its child, uses its address or
        // credentials, or waits for it to complete) goes too; a plain WaitFor edge is only dropped.
        bool changed;
        do
        {
            changed = false;
            foreach (var resource in resources.Where(r => !excluded.ContainsKey(r)))
            {
                var reason =
                    resource is IResourceWithParent { Parent: var parent } && excluded.ContainsKey(parent) ? $"its parent '{parent.Name}' is excluded"
                    : resource.Annotations.OfType<ResourceRelationshipAnnotation>().FirstOrDefault(a => a.Type == "Reference" && excluded.ContainsKey(a.Resource)) is { } reference ? $"it uses '{reference.Resource.Name}'"
                    : resource.Annotations.OfType<WaitAnnotation>().FirstOrDefault(a => a.WaitType == WaitType.WaitForCompletion && excluded.ContainsKey(a.Resource)) is { } completion ? $"it needs '{completion.Resource.Name}' to complete first"
                    : null;
                if (reason is not null)
                {
                    excluded[resource] = reason;
                    changed = true;
                }
            }
        }
        while (changed);

        foreach (var (resource, reason) in excluded.OrderBy(e => e.Key.Name, StringComparer.Ordinal))
        {
            resources.Remove(resource);
            resource.GetWave()?.RemoveMember(resource);
            log.Add($"'{resource.Name}' left out of the local run: {reason}.");
        }

        foreach (var resource in resources)
        {
            var purposes = resource.Annotations.OfType<DependencyPurposeAnnotation>().ToList();
            foreach (var annotation in resource.Annotations.ToList())
            {
                var target = annotation switch
                {
                    WaitAnnotation w => w.Resource,
                    ResourceRelationshipAnnotation r => r.Resource,
                    DependencyPurposeAnnotation p => p.Target,
                    _ => null,
                };
                if (target is null || !excluded.ContainsKey(target))
                {
                    continue;
                }

                if (annotation is WaitAnnotation)
                {
                    var purpose = purposes.FirstOrDefault(p => p.Target == target)?.Purpose;
                    log.Add($"'{resource.Name}' no longer waits for '{target.Name}' and runs without it{(purpose is null ? "" : $" (no {purpose})")}.");
                }

                resource.Annotations.Remove(annotation);
            }
        }

        foreach (var wave in resources.OfType<WaveResource>().Where(w => w.Members.Count == 0))
        {
            log.Add($"wave '{wave.Name}' has no member left and is satisfied as soon as its upstream waves are.");
        }
    }
}
