namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>A field that differs: its path (<c>spec.template.spec.containers[app].image</c>), old and new value (<see cref="Absent"/> where missing).</summary>
internal sealed record FieldChange(string Path, object? Old, object? New)
{
    /// <summary>Marks a field that one side does not have.</summary>
    public static readonly AbsentValue Absent = new();

    /// <summary>The type of <see cref="Absent"/>.</summary>
    public sealed class AbsentValue
    {
        internal AbsentValue()
        {
        }

        public override string ToString() => "(none)";
    }

    /// <summary>True when the change is at or under <paramref name="prefix"/> (a path without list selectors, e.g. <c>spec.template</c>).</summary>
    public bool Under(string prefix) => Path == prefix || Path.StartsWith(prefix + ".", StringComparison.Ordinal) || Path.StartsWith(prefix + "[", StringComparison.Ordinal);

    public override string ToString() => $"{Path}: {DiffYaml.Inline(Old)} -> {DiffYaml.Inline(New)}";
}
