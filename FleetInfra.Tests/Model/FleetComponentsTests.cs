using FleetInfra.Hosting.Documentation;
using FleetInfra.Hosting.Graph;
using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Waves;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Model;

/// <summary>One set of components: the wave members (and their children), used by the publisher, the graph and the documents.</summary>
public class FleetComponentsTests
{
    [Fact]
    public async Task Components_are_the_wave_members_in_declaration_order_without_the_flux_environment_or_parameters()
    {
        await using var builder = await FleetModel.CreatePublishAsync();

        var members = FleetComponents.Of(builder.Resources).ToList();
        var withChildren = FleetComponents.WithChildren(builder.Resources).ToList();

        Assert.Equal(builder.Resources.OfType<WaveResource>().SelectMany(w => w.Members).Order(Comparer<IResource>.Create((a, b) =>
            builder.Resources.IndexOf(a).CompareTo(builder.Resources.IndexOf(b)))), members);
        Assert.DoesNotContain(withChildren, r => r is FluxEnvironmentResource or ParameterResource or WaveResource);
        Assert.Equal(["appdb", "temporal-db", "temporal-visibility-db"], withChildren.Except(members).Select(r => r.Name));
        Assert.Equal(withChildren.Select(r => r.Name), DependencyGraphDocument.From(builder.Resources).Resources.Select(r => r.Name));
        Assert.DoesNotContain("flux[\"flux\"]", FleetDocumentation.Dependencies(builder.Resources));
    }
}
