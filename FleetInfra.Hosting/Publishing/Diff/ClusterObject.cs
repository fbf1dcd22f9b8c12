namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>An object a cluster applies: the wave Kustomization that applies it, its identity, its content and the file it came from.</summary>
internal sealed record ClusterObject(string Wave, ObjectKey Key, Dictionary<string, object?> Value, string File)
{
    /// <summary>The value at a dotted path (<c>spec.template</c>), or null.</summary>
    public object? At(string path) => DiffValues.At(Value, path);

    /// <summary>An annotation of the object, or null.</summary>
    public string? Annotation(string name) => At("metadata.annotations") is Dictionary<string, object?> annotations ? annotations.GetValueOrDefault(name) as string : null;
}
