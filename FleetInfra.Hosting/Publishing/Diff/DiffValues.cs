namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>Small helpers over the plain values of <see cref="DiffYaml"/>.</summary>
internal static class DiffValues
{
    /// <summary>The value at a dotted path of mapping keys, or null.</summary>
    public static object? At(object? value, string path)
    {
        foreach (var key in path.Split('.'))
        {
            value = value is Dictionary<string, object?> map ? map.GetValueOrDefault(key) : null;
        }

        return value;
    }
}
