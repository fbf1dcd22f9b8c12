namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>
/// Who an object is in a cluster: API group (not version: a new version of the same object is a change), kind,
/// namespace and name.
/// </summary>
internal readonly record struct ObjectKey(string Group, string Kind, string? Namespace, string Name)
{
    public static ObjectKey Of(Dictionary<string, object?> value)
    {
        var apiVersion = value.GetValueOrDefault("apiVersion") as string ?? "";
        var metadata = value.GetValueOrDefault("metadata") as Dictionary<string, object?>;
        return new ObjectKey(apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "", value.GetValueOrDefault("kind") as string ?? "",
            metadata?.GetValueOrDefault("namespace") as string, metadata?.GetValueOrDefault("name") as string ?? "");
    }

    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
