using System.Text;

namespace FleetInfra.Hosting.Documentation;

/// <summary>Builds Markdown with LF newlines whatever the platform, so generated files compare byte for byte.</summary>
internal sealed class MarkdownWriter
{
    private readonly StringBuilder _text = new();

    public MarkdownWriter Line(string text = "")
    {
        _text.Append(text).Append('\n');
        return this;
    }

    public MarkdownWriter Raw(string text)
    {
        _text.Append(text);
        return this;
    }

    public MarkdownWriter Heading(int level, string text) => Line($"{new string('#', level)} {text}").Line();

    public MarkdownWriter Paragraph(string text) => Line(text).Line();

    public MarkdownWriter Table(string[] headers, IEnumerable<string[]> rows)
    {
        Line($"| {string.Join(" | ", headers)} |");
        Line($"|{string.Concat(headers.Select(_ => "---|"))}");
        foreach (var row in rows)
        {
            Line($"| {string.Join(" | ", row.Select(Cell))} |");
        }

        return Line();
    }

    public MarkdownWriter Code(string language, IEnumerable<string> lines)
    {
        Line($"```{language}");
        foreach (var line in lines)
        {
            Line(line);
        }

        return Line("```").Line();
    }

    public override string ToString() => _text.ToString();

    /// <summary><c>`name`</c>.</summary>
    public static string C(string name) => $"`{name}`";

    /// <summary>A list of code-formatted names, "—" when empty.</summary>
    public static string Names(IEnumerable<string> names) => names.Any() ? string.Join(", ", names.Select(C)) : "—";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
