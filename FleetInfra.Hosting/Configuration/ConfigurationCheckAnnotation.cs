using Microsoft.Extensions.Configuration;

namespace FleetInfra.Hosting.Configuration;

/// <summary>
/// A component's own check of the configuration it runs with, made once the model is complete (image overrides applied)
/// and before anything starts: <paramref name="Check"/> returns what is wrong, naming the keys and what is allowed, or
/// null. A problem stops the AppHost like any other bad setting (<see cref="FleetInfraConfigurationException"/>).
/// </summary>
/// <param name="Key">The configuration key the problem is reported under.</param>
/// <param name="Check">The check: the resource and the app's configuration in, a problem or null out.</param>
public sealed record ConfigurationCheckAnnotation(string Key, Func<IResource, IConfiguration, string?> Check) : IResourceAnnotation;
