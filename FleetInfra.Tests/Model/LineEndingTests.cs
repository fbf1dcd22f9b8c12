using FleetInfra.Hosting.Components;

namespace FleetInfra.Tests.Model;

/// <summary>Scripts reach Linux containers with LF line endings, even from a Windows (core.autocrlf) checkout.</summary>
public class LineEndingTests
{
    [Fact]
    public void A_script_read_from_a_crlf_file_has_no_carriage_return()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleetinfra-crlf-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, "#!/bin/sh\r\nset -eu\r\necho ready\r\n");
        try
        {
            using var stream = File.OpenRead(path);
            var script = ContainerScript.Read(stream);

            Assert.DoesNotContain('\r', script);
            Assert.Equal(["#!/bin/sh", "set -eu", "echo ready", ""], script.Split('\n'));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("set -eu\r\necho a\r\n", "set -eu\necho a\n")]
    [InlineData("set -eu\recho a", "set -eu\necho a")] // classic Mac line ends
    [InlineData("set -eu\necho a\n", "set -eu\necho a\n")]
    public void An_embedded_script_is_normalised_to_lf(string script, string expected) =>
        Assert.Equal(expected, ContainerScript.Lf(script));

    [Fact]
    public void The_embedded_scripts_the_model_uses_are_read_with_lf()
    {
        foreach (var name in new[] { "FleetInfra.Hosting.LocalStack.init-fleet-infra.sh", "FleetInfra.Hosting.LocalStack.init-localstack-cluster.sh" })
        {
            var script = ContainerScript.ReadEmbedded(name);
            Assert.StartsWith("#!", script);
            Assert.DoesNotContain('\r', script);
        }
    }
}
