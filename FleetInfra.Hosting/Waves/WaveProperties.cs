using System.Collections.Immutable;

namespace FleetInfra.Hosting.Waves;

/// <summary>Edits of a snapshot's property list: a property is replaced, never duplicated.</summary>
internal static class WaveProperties
{
    /// <summary>The properties with <paramref name="name"/> set to <paramref name="value"/>.</summary>
    public static ImmutableArray<ResourcePropertySnapshot> Set(ImmutableArray<ResourcePropertySnapshot> properties, string name, object value) =>
        [.. properties.Where(p => p.Name != name), new ResourcePropertySnapshot(name, value)];

    /// <summary>The properties without <paramref name="name"/>.</summary>
    public static ImmutableArray<ResourcePropertySnapshot> Without(ImmutableArray<ResourcePropertySnapshot> properties, string name) =>
        [.. properties.Where(p => p.Name != name)];
}
