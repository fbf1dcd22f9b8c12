namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>The waves and their <c>dependsOn</c>, in declaration order: which waves wait for a changed one.</summary>
/// <param name="DependsOn">Per wave (in the model's order) the waves it depends on.</param>
internal sealed record WaveGraph(IReadOnlyList<(string Wave, IReadOnlyList<string> DependsOn)> DependsOn)
{
    /// <summary>The model's waves.</summary>
    public static WaveGraph From(IEnumerable<FluxWave> waves) =>
        new(waves.Select(w => (w.Name, (IReadOnlyList<string>)w.Wave.DependsOn.Select(d => d.Wave.Name).ToList())).ToList());

    /// <summary>
    /// The waves downstream of <paramref name="changed"/> through <c>dependsOn</c> (directly or not), not changed
    /// themselves, in the graph's order: while a changed wave reconciles it is not Ready, so Flux holds these back until
    /// it is again.
    /// </summary>
    public IReadOnlyList<string> Downstream(IReadOnlyCollection<string> changed)
    {
        var reached = new HashSet<string>(changed, StringComparer.Ordinal);
        bool grew;
        do
        {
            grew = false;
            foreach (var (wave, dependsOn) in DependsOn)
            {
                if (!reached.Contains(wave) && dependsOn.Any(reached.Contains))
                {
                    grew = reached.Add(wave);
                }
            }
        }
        while (grew);

        return DependsOn.Select(d => d.Wave).Where(w => reached.Contains(w) && !changed.Contains(w)).ToList();
    }

    /// <summary>The position of a wave (unknown waves last).</summary>
    public int Order(string wave)
    {
        for (var i = 0; i < DependsOn.Count; i++)
        {
            if (DependsOn[i].Wave == wave)
            {
                return i;
            }
        }

        return int.MaxValue;
    }
}
