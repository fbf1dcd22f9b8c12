namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>
/// The fields that differ between two versions of an object. Mappings compare by key (their order is no change); lists
/// compare by position, or by item name where every item has a distinct <c>name</c> (containers, env, ports, volumes),
/// and there a new order of the same items is a change of its own (environment variables that reference each other
/// with <c>$(VAR)</c>, or arguments, depend on it).
/// </summary>
internal static class ObjectComparer
{
    public static List<FieldChange> Compare(object? old, object? @new)
    {
        var changes = new List<FieldChange>();
        Compare("", old, @new, changes);
        return changes;
    }

    private static void Compare(string path, object? old, object? @new, List<FieldChange> changes)
    {
        if (ReferenceEquals(old, @new))
        {
            return; // the same parsed document: a file both trees share byte for byte
        }

        switch (old, @new)
        {
            case (Dictionary<string, object?> a, Dictionary<string, object?> b):
                foreach (var key in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
                {
                    var child = Child(path, key);
                    var (inA, inB) = (a.TryGetValue(key, out var va), b.TryGetValue(key, out var vb));
                    if (inA && inB)
                    {
                        Compare(child, va, vb, changes);
                    }
                    else
                    {
                        changes.Add(new FieldChange(child, inA ? va : FieldChange.Absent, inB ? vb : FieldChange.Absent));
                    }
                }

                break;
            case (List<object?> a, List<object?> b) when Names(a) is { } namesA && Names(b) is { } namesB:
                foreach (var name in namesA.Union(namesB))
                {
                    var (ia, ib) = (namesA.IndexOf(name), namesB.IndexOf(name));
                    var child = $"{path}[{name}]";
                    if (ia >= 0 && ib >= 0)
                    {
                        Compare(child, a[ia], b[ib], changes);
                    }
                    else
                    {
                        changes.Add(new FieldChange(child, ia >= 0 ? a[ia] : FieldChange.Absent, ib >= 0 ? b[ib] : FieldChange.Absent));
                    }
                }

                var (commonA, commonB) = (namesA.Where(namesB.Contains).ToList(), namesB.Where(namesA.Contains).ToList());
                if (!commonA.SequenceEqual(commonB))
                {
                    changes.Add(new FieldChange($"{path} (order)", string.Join(", ", commonA), string.Join(", ", commonB)));
                }

                break;
            case (List<object?> a, List<object?> b):
                for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
                {
                    var child = $"{path}[{i}]";
                    if (i < a.Count && i < b.Count)
                    {
                        Compare(child, a[i], b[i], changes);
                    }
                    else
                    {
                        changes.Add(new FieldChange(child, i < a.Count ? a[i] : FieldChange.Absent, i < b.Count ? b[i] : FieldChange.Absent));
                    }
                }

                break;
            default:
                if (!Equals(old, @new))
                {
                    changes.Add(new FieldChange(path, old, @new));
                }

                break;
        }
    }

    /// <summary>The item names of a list whose items are all mappings with a distinct string <c>name</c>, else null.</summary>
    private static List<string>? Names(List<object?> list)
    {
        if (list.Count == 0)
        {
            return null;
        }

        var names = list.Select(i => (i as Dictionary<string, object?>)?.GetValueOrDefault("name") as string).ToList();
        return names.All(n => n is not null) && names.Distinct(StringComparer.Ordinal).Count() == names.Count ? names.Select(n => n!).ToList() : null;
    }

    private static string Child(string path, string key) =>
        key.Contains('.') || key.Contains('/') ? $"{path}[\"{key}\"]" : path.Length == 0 ? key : $"{path}.{key}";
}
