namespace FleetInfra.Hosting.Components;

/// <summary>
/// Shell scripts handed to Linux containers. A Windows checkout with <c>core.autocrlf=true</c> gives the script files and
/// the C# sources that embed scripts CRLF line endings, and <c>/bin/sh</c> then fails on the <c>\r</c> (<c>set -eu\r</c>:
/// "invalid option"). <c>.gitattributes</c> keeps them LF; normalising here keeps a checkout that ignores it working too.
/// </summary>
internal static class ContainerScript
{
    /// <summary>The script with LF line endings only.</summary>
    public static string Lf(string script) => script.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    /// <summary>A script embedded in FleetInfra.Hosting under <paramref name="logicalName"/>, with LF line endings.</summary>
    public static string ReadEmbedded(string logicalName)
    {
        using var stream = typeof(ContainerScript).Assembly.GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"The script '{logicalName}' is not embedded in FleetInfra.Hosting.");
        return Read(stream);
    }

    /// <summary>Reads a script from <paramref name="stream"/>, with LF line endings.</summary>
    public static string Read(Stream stream)
    {
        using var reader = new StreamReader(stream);
        return Lf(reader.ReadToEnd());
    }
}
