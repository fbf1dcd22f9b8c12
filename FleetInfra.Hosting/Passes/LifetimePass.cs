using FleetInfra.Hosting.Components;
using FleetInfra.Hosting.Configuration;

namespace FleetInfra.Hosting.Passes;

/// <summary><c>FleetInfra:Lifetime=Persistent</c>: the data layer and what is marked to keep between runs outlive the AppHost.</summary>
internal sealed class LifetimePass : IModelPass
{
    public void Apply(ModelPassContext context)
    {
        if (context.Settings.Lifetime != FleetLifetime.Persistent)
        {
            return;
        }

        foreach (var container in context.App.Resources.OfType<ContainerResource>().Where(r => r.HasAnnotationOfType<DataLayerAnnotation>() || r.HasAnnotationOfType<KeepBetweenRunsAnnotation>()))
        {
            container.Annotations.Add(new ContainerLifetimeAnnotation { Lifetime = ContainerLifetime.Persistent });
        }
    }
}
