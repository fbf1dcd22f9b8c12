using System.Text.RegularExpressions;
using FleetInfra.Hosting.Publishing;
using FleetInfra.Hosting.Publishing.Lint;
using FleetInfra.Hosting.Publishing.Manifests;

namespace FleetInfra.Hosting.Components.Postgres;

/// <summary>
/// cnpg-image-tag: a CloudNativePG Cluster runs an immutable operand image. cloudnative-pg/postgres-containers publishes
/// immutable tags <c>MM.mm-TS-TYPE-OS</c> (PostgreSQL version, build timestamp, image type <c>minimal</c>/<c>standard</c>/<c>system</c>,
/// Debian release, e.g. <c>17.10-202608100833-system-bookworm</c>) beside rolling ones (<c>MM.mm-TYPE-OS</c>,
/// <c>MM-TYPE-OS</c>, and the deprecated bare <c>MM.mm</c> of the deprecated <c>system</c> image) that move to every new build
/// (README.md, "Image Tags" and "Rolling Tags"). A rolling tag lets a node pull a different build than its peers; a digest
/// pins the build too. Only <c>system</c> images carry barman-cloud, which the native <c>backup.barmanObjectStore</c> needs;
/// <c>minimal</c> and <c>standard</c> need the Barman Cloud plugin (and with it cert-manager).
/// </summary>
internal sealed partial class CnpgImageTagRule : IFluxLintRule
{
    public string Name => "cnpg-image-tag";

    public void Check(FluxLintContext context, FluxObject o)
    {
        if (o.Value is not CustomObject<CnpgClusterSpec> { Spec: var cluster })
        {
            return;
        }

        var (tag, digest) = Split(cluster.ImageName);
        var match = tag is null ? null : ImmutableTag().Match(tag);
        if (digest is null && match is not { Success: true })
        {
            context.Report(o, $"imageName {cluster.ImageName} has the rolling tag '{tag ?? "latest"}' (it names no type, OS and build): the operand changes under the cluster with every new build of the image",
                "pin an immutable tag MM.mm-TIMESTAMP-TYPE-OS of ghcr.io/cloudnative-pg/postgresql (e.g. 17.10-202608100833-system-bookworm), or its @sha256 digest");
        }

        if (match is { Success: true } && match.Groups["type"].Value != "system" && cluster.Backup?.BarmanObjectStore is not null)
        {
            context.Report(o, $"imageName {cluster.ImageName} is a '{match.Groups["type"].Value}' image, which has no barman-cloud: the native backup.barmanObjectStore cannot archive WAL or take base backups",
                "use the system image of the same version, or move the backup to the Barman Cloud plugin (which needs cert-manager)");
        }
    }

    /// <summary>The tag and digest of an image reference (either may be missing).</summary>
    internal static (string? Tag, string? Digest) Split(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? image : image[..at];
        var digest = at < 0 ? null : image[(at + 1)..];
        var colon = name.LastIndexOf(':');
        var tag = colon > name.LastIndexOf('/') ? name[(colon + 1)..] : null;
        return (tag, digest is not null && digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest : null);
    }

    [GeneratedRegex(@"^(?<pg>\d+\.\d+)-(?<ts>\d{12})-(?<type>minimal|standard|system)-(?<os>[a-z]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ImmutableTag();
}
