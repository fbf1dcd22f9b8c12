using FleetInfra.Hosting.Documentation;

namespace FleetInfra.Tests.Documentation;

/// <summary>The README region the generator owns: replaced in place, the hand-written rest untouched.</summary>
public class GeneratedRegionTests
{
    private const string Readme = """
        # FleetInfra

        Hand-written intro.

        <!-- BEGIN GENERATED: architecture -->
        old picture
        <!-- END GENERATED: architecture -->

        Hand-written rest.

        """;

    [Fact]
    public void Replace_swaps_only_the_text_between_the_markers()
    {
        var updated = GeneratedRegion.Replace(Readme, "architecture", "new picture\n");

        Assert.Equal(Readme.Replace("old picture", "new picture", StringComparison.Ordinal), updated);
        Assert.Equal("new picture\n", GeneratedRegion.Extract(updated!, "architecture"));
        Assert.Equal(updated, GeneratedRegion.Replace(updated!, "architecture", "new picture\n"));
    }

    [Theory]
    [InlineData("# FleetInfra\n")]
    [InlineData("<!-- END GENERATED: architecture -->\n<!-- BEGIN GENERATED: architecture -->\n")]
    public void A_document_without_the_region_is_left_alone(string document)
    {
        Assert.Null(GeneratedRegion.Replace(document, "architecture", "x"));
        Assert.Null(GeneratedRegion.Extract(document, "architecture"));
    }
}
