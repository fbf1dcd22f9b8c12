using FleetInfra.Hosting.Configuration;

namespace FleetInfra.Hosting.Passes;

/// <summary>
/// The components' own checks (<see cref="ConfigurationCheckAnnotation"/>, e.g. LocalStack's auth token for a later
/// image), on the final images, before anything starts.
/// </summary>
internal sealed class ConfigurationChecksPass : IModelPass
{
    public void Apply(ModelPassContext context)
    {
        foreach (var resource in context.App.Resources)
        {
            foreach (var check in resource.Annotations.OfType<ConfigurationCheckAnnotation>())
            {
                if (check.Check(resource, context.App.Configuration) is { } problem)
                {
                    throw new FleetInfraConfigurationException(check.Key, problem);
                }
            }
        }
    }
}
