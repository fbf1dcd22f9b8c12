using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Graph;
using FleetInfra.Hosting.Waves;

namespace FleetInfra.Hosting.Passes;

/// <summary>
/// Members start only after every wave their own wave depends on is ready (Flux <c>dependsOn</c>): adds those WaitFor
/// edges, then rejects a dependency cycle naming it.
/// </summary>
internal sealed class WaveEdgesPass : IModelPass
{
    public void Apply(ModelPassContext context)
    {
        var resources = context.App.Resources;
        foreach (var wave in resources.OfType<WaveResource>())
        {
            foreach (var member in wave.Members.OfType<IResourceWithWaitSupport>())
            {
                foreach (var upstream in wave.DependsOn)
                {
                    if (!member.Annotations.OfType<WaitAnnotation>().Any(w => w.Resource == upstream.Wave))
                    {
                        member.Annotations.Add(new WaitAnnotation(upstream.Wave, WaitType.WaitUntilHealthy) { WaitBehavior = WaitBehavior.StopOnResourceUnavailable });
                    }
                }
            }
        }

        if (FleetGraph.FindCycle(FleetGraph.Edges(resources)) is { } cycle)
        {
            throw new FleetInfraConfigurationException("model", $"dependency cycle: {string.Join(" -> ", cycle)}. Remove one of these WaitFor edges or move a component to another wave.");
        }
    }
}
