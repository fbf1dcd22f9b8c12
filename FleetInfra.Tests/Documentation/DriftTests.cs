using System.Text.Json;
using FleetInfra.Hosting.Documentation;

namespace FleetInfra.Tests.Documentation;

/// <summary>
/// Every file derived from the model is committed and must be what the model generates today: a change to
/// the model without regenerating fails here, naming the command that refreshes the files.
/// </summary>
public class DriftTests(GeneratedFiles files) : IClassFixture<GeneratedFiles>
{
    private static readonly string[] s_wholeFiles = ["aspire-manifest/aspire-manifest.json", "docs/dependencies.md", "docs/architecture.md"];

    public static TheoryData<string> WholeFiles => [.. s_wholeFiles];

    [Theory]
    [MemberData(nameof(WholeFiles))]
    public void Committed_file_is_what_the_model_generates(string relativePath)
    {
        AssertNoDrift(relativePath, files.Committed(relativePath), files.Generated(relativePath));
    }

    private static readonly string[] s_readmeRegions = [FleetDocumentation.ArchitectureRegion, FleetDocumentation.PortsRegion];

    public static TheoryData<string> ReadmeRegions => [.. s_readmeRegions];

    [Theory]
    [MemberData(nameof(ReadmeRegions))]
    public void Readme_generated_region_is_what_the_model_generates(string region)
    {
        var committed = files.Committed("README.md");
        Assert.True(committed is not null && GeneratedRegion.Extract(committed, region) is not null,
            $"README.md needs the markers '{GeneratedRegion.Begin(region)}' and '{GeneratedRegion.End(region)}' " +
            $"around its {region} section; then run '{FleetDocumentation.RegenerateCommand}'.");

        AssertNoDrift($"README.md (generated {region} region)",
            GeneratedRegion.Extract(committed, region),
            GeneratedRegion.Extract(files.Generated("README.md"), region));
    }

    [Theory]
    [InlineData("docs/dependencies.md")]
    [InlineData("docs/architecture.md")]
    [InlineData("docs/generating.md")]
    public void Docs_name_the_command_that_regenerates_them(string relativePath)
    {
        Assert.Contains(FleetDocumentation.RegenerateCommand, files.Committed(relativePath) ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void The_step_writes_exactly_the_files_it_declares()
    {
        var written = Directory.EnumerateFiles(files.OutputRoot, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(files.OutputRoot, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

        Assert.Equal(DocumentationStep.Files.Order(StringComparer.Ordinal), written);
    }

    [Fact]
    public void No_secret_value_reaches_the_manifest_and_secrets_stay_parameter_references()
    {
        var manifest = files.Generated("aspire-manifest/aspire-manifest.json");
        Assert.NotEmpty(files.SecretValues);
        Assert.All(files.SecretValues, secret => Assert.DoesNotContain(secret.Value, manifest, StringComparison.Ordinal));

        using var json = JsonDocument.Parse(manifest);
        var resources = json.RootElement.GetProperty("resources");
        foreach (var name in files.SecretValues.Keys)
        {
            // A secret is published as an input the deployer supplies (or generates), never with a value.
            var parameter = resources.GetProperty(name);
            Assert.Equal("parameter.v0", parameter.GetProperty("type").GetString());
            Assert.Equal($"{{{name}.inputs.value}}", parameter.GetProperty("value").GetString());
            var input = parameter.GetProperty("inputs").GetProperty("value");
            Assert.True(input.GetProperty("secret").GetBoolean(), name);
            Assert.False(input.TryGetProperty("default", out var @default) && @default.TryGetProperty("value", out _), $"'{name}' has a default value");
        }
    }

    [Fact]
    public void Generated_files_carry_no_machine_path_and_only_LF_newlines()
    {
        var texts = s_wholeFiles.Select(files.Generated)
            .Concat(s_readmeRegions.Select(r => GeneratedRegion.Extract(files.Generated("README.md"), r) ?? ""));
        foreach (var text in texts)
        {
            Assert.DoesNotContain(files.RepositoryRoot, text, StringComparison.Ordinal);
            Assert.DoesNotContain(files.OutputRoot, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), text, StringComparison.Ordinal);
            Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        }
    }

    private static void AssertNoDrift(string name, string? committed, string? generated)
    {
        var hint = $"{name} is out of date with the app model. Refresh every derived file from the repository root with\n" +
            $"    {FleetDocumentation.RegenerateCommand}\nand commit the result.";
        Assert.True(committed is not null, $"{name} is missing. {hint}");
        if (committed != generated)
        {
            var committedLines = committed.Split('\n');
            var generatedLines = (generated ?? "").Split('\n');
            var line = Enumerable.Range(0, Math.Max(committedLines.Length, generatedLines.Length))
                .First(i => i >= committedLines.Length || i >= generatedLines.Length || committedLines[i] != generatedLines[i]);
            Assert.Fail($"{hint}\nFirst difference at line {line + 1}:\n  committed: {committedLines.ElementAtOrDefault(line)}\n  generated: {generatedLines.ElementAtOrDefault(line)}");
        }
    }
}
