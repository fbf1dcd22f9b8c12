using System.Collections.Immutable;

namespace FleetInfra.Hosting.Waves;

/// <summary>Edits of a snapshot's property list: a property is replaced, never duplicated.</summary>
internal static class WaveProperties
{
    /// <summary>The properties with <paramref name="name"/> set to <paramref name="value"/>.</summary>
    public static ImmutableArray<ResourcePropertySnapshot> Set(ImmutableArray<ResourcePropertySnapshot> properties, string name, object value) =>
        [.. properties.Where(p => p.Name != name), new ResourcePropertySnapshot(name, value)];

    /// <summary>
    /// The properties with <paramref name="name"/> set to <paramref name="value"/>, shown in the dashboard's details panel
    /// under <paramref name="displayName"/> even though the dashboard does not know the name (Aspire.Hosting 13.6.5,
    /// <c>ResourcePropertySnapshot.DisplayName</c>/<c>IsHighlighted</c>: "Highlighted properties are shown by default even if the
    /// client does not otherwise recognize the property name" - the package's Aspire.Hosting.xml; both are newer than 13.3).
    /// Without it a <c>fleetinfra.*</c> property is only in <i>View JSON</i>.
    /// </summary>
    public static ImmutableArray<ResourcePropertySnapshot> SetHighlighted(ImmutableArray<ResourcePropertySnapshot> properties, string name, string displayName, object value) =>
        [.. properties.Where(p => p.Name != name), new ResourcePropertySnapshot(name, value) { DisplayName = displayName, IsHighlighted = true }];

    /// <summary>The properties without <paramref name="name"/>.</summary>
    public static ImmutableArray<ResourcePropertySnapshot> Without(ImmutableArray<ResourcePropertySnapshot> properties, string name) =>
        [.. properties.Where(p => p.Name != name)];
}
