using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>
/// YAML documents as plain values for comparing: mappings become dictionaries (key order is gone), sequences lists (order
/// kept), scalars typed as a YAML 1.2 core-schema reader types them (quoted: string; plain: null, bool, integer, float or
/// string), so quoting style, formatting and comments are no difference.
/// </summary>
internal static partial class DiffYaml
{
    /// <summary>The documents of a YAML file (empty documents left out).</summary>
    public static IEnumerable<object?> Documents(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new NotAPublishedTreeException($"{file} is not valid YAML ({e.Message})");
        }

        return stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" }).Select(d => Convert(d.RootNode)).ToList();
    }

    public static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(c => Convert(c.Key)?.ToString() ?? "", c => Convert(c.Value), StringComparer.Ordinal),
        YamlSequenceNode list => list.Children.Select(Convert).ToList(),
        YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain => Plain(scalar.Value ?? ""),
        YamlScalarNode scalar => scalar.Value ?? "",
        _ => throw new NotAPublishedTreeException($"unsupported YAML node {node.NodeType}"),
    };

    private static object? Plain(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ when Integer().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        _ when Float().IsMatch(value) => double.Parse(value, CultureInfo.InvariantCulture),
        _ => value,
    };

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    /// <summary>A value as one short line (scalars as YAML writes them, collections in flow style, long ones cut).</summary>
    public static string Inline(object? value, int max = 120)
    {
        var text = Render(value);
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }

    private static string Render(object? value) => value switch
    {
        null => "null",
        FieldChange.AbsentValue => "(none)",
        bool b => b ? "true" : "false",
        long or double => System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
        string s => s.Length == 0 || s.Contains(' ') || Plain(s) is not string ? $"\"{s}\"" : s,
        Dictionary<string, object?> map => "{" + string.Join(", ", map.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}: {Render(k.Value)}")) + "}",
        List<object?> list => "[" + string.Join(", ", list.Select(Render)) + "]",
        _ => value.ToString() ?? "",
    };
}
