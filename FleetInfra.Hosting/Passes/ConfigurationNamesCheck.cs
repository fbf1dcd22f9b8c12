using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Waves;

namespace FleetInfra.Hosting.Passes;

/// <summary>Every resource, image and wave name the configuration gives must exist in the model (checked before any pass).</summary>
internal sealed class ConfigurationNamesCheck : IModelPass
{
    public void Apply(ModelPassContext context)
    {
        var resources = context.App.Resources;
        var settings = context.Settings;
        Check("Exclude", settings.Exclude, FleetComponents.WithChildren(resources).Select(r => r.Name));
        Check("Images", settings.Images.Keys, resources.OfType<ContainerResource>().Select(r => r.Name));
        Check("Waves", settings.WaveNames, resources.OfType<WaveResource>().Select(w => w.Name));
        Check("Ports", settings.Ports.Select(p => p.Resource).Distinct(StringComparer.OrdinalIgnoreCase), HostPorts.WithEndpoints(resources).Select(r => r.Name));
    }

    private static void Check(string key, IEnumerable<string> given, IEnumerable<string> allowed)
    {
        var known = allowed.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = given.Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new FleetInfraConfigurationException($"{FleetInfraSettings.SectionName}:{key}",
                $"unknown name(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}. Allowed: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
        }
    }
}
