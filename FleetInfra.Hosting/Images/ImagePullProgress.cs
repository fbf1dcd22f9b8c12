using System.Text.RegularExpressions;

namespace FleetInfra.Hosting.Images;

/// <summary>
/// Follows the output of <c>docker pull</c> / <c>podman pull</c> without a terminal: one status line per layer change
/// (<c>&lt;layer&gt;: Pulling fs layer</c>, <c>Download complete</c>, <c>Pull complete</c>, <c>Already exists</c>):
/// when its output is not a terminal the CLI skips the progress bars and prints each layer's status as
/// <c>"&lt;id&gt;: &lt;status&gt;"</c> (moby/moby pkg/jsonmessage/jsonmessage.go, <c>JSONMessage.Display</c>: "disable progressbar
/// in non-terminal"). Hence layers, not bytes.
/// </summary>
internal sealed partial class ImagePullProgress
{
    private readonly HashSet<string> _layers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);

    /// <summary>Layers seen so far.</summary>
    public int Layers => _layers.Count;

    /// <summary>Layers pulled or already present.</summary>
    public int Done => _done.Count;

    /// <summary>Reads one output line; returns true when it changed the counts.</summary>
    public bool Read(string line)
    {
        var match = LayerLine().Match(line);
        if (!match.Success)
        {
            return false;
        }

        var layer = match.Groups["layer"].Value;
        var status = match.Groups["status"].Value;
        var changed = _layers.Add(layer);
        if (status.StartsWith("Pull complete", StringComparison.Ordinal) || status.StartsWith("Already exists", StringComparison.Ordinal))
        {
            changed |= _done.Add(layer);
        }

        return changed;
    }

    /// <summary>"3 of 7 layers".</summary>
    public override string ToString() => Layers == 0 ? "resolving" : $"{Done} of {Layers} layers";

    [GeneratedRegex(@"^(?<layer>[0-9a-f]{12}): (?<status>.+)$")]
    private static partial Regex LayerLine();
}
