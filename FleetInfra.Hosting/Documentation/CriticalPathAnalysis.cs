using FleetInfra.Hosting.Waves;

namespace FleetInfra.Hosting.Documentation;

/// <summary>A chain of waves, each starting when the previous one is ready.</summary>
/// <param name="Waves">The waves, upstream first.</param>
public sealed record WavePath(IReadOnlyList<WaveResource> Waves)
{
    /// <summary>The worst case: every wave of the chain uses its whole declared timeout.</summary>
    public TimeSpan Total => Waves.Aggregate(TimeSpan.Zero, (sum, wave) => sum + wave.DeclaredTimeout);

    /// <summary>The last wave of the chain.</summary>
    public WaveResource End => Waves[^1];

    /// <inheritdoc />
    public override string ToString() => string.Join(" → ", Waves.Select(w => w.Name));
}

/// <summary>
/// Critical-path analysis of the wave graph (Flux <c>dependsOn</c> + <c>timeout</c>): a wave starts when the last
/// of its upstream waves is ready, so the latest a wave can be ready is its timeout plus the latest of its
/// upstream waves. One path per end wave (a wave no other wave depends on) - the parallel branches of the
/// deployment - and the longest of them bounds the whole deployment.
/// </summary>
/// <param name="LatestReady">Per wave, the latest it is ready after the deployment starts, in model order.</param>
/// <param name="Paths">The longest path into each end wave, longest first (ties in model order).</param>
public sealed record CriticalPathAnalysis(IReadOnlyList<(WaveResource Wave, TimeSpan LatestReady)> LatestReady, IReadOnlyList<WavePath> Paths)
{
    /// <summary>The worst-case duration of the whole deployment.</summary>
    public TimeSpan Longest => Paths.Count == 0 ? TimeSpan.Zero : Paths[0].Total;

    /// <summary>Every path whose total is <see cref="Longest"/> (there can be several).</summary>
    public IEnumerable<WavePath> Critical => Paths.Where(p => p.Total == Longest);

    /// <summary>
    /// Analyses <paramref name="waves"/>. With <paramref name="seedEdgesOnly"/> the edges that carry a
    /// <see cref="WaveDependency.Deviation"/> are ignored, which gives the figures of the seed document's table.
    /// </summary>
    public static CriticalPathAnalysis Analyze(IEnumerable<WaveResource> waves, bool seedEdgesOnly = false)
    {
        var ordered = waves.ToList();
        IEnumerable<WaveResource> Upstream(WaveResource wave) =>
            wave.DependsOn.Where(d => !seedEdgesOnly || d.Deviation is null).Select(d => d.Wave).Where(ordered.Contains);

        // Memoised longest chain ending in each wave; the model is acyclic (FleetInfraBuilder rejects cycles).
        var chains = new Dictionary<WaveResource, WavePath>();
        WavePath ChainTo(WaveResource wave)
        {
            if (!chains.TryGetValue(wave, out var chain))
            {
                // Ties go to the upstream wave declared first, so the output is stable.
                var longest = Upstream(wave).Select(ChainTo).Aggregate((WavePath?)null, (best, c) => best is null || c.Total > best.Total ? c : best);
                chain = chains[wave] = new WavePath([.. longest?.Waves ?? [], wave]);
            }

            return chain;
        }

        var ends = ordered.Where(w => !ordered.Any(other => Upstream(other).Contains(w)));
        var paths = ends.Select(ChainTo).OrderByDescending(p => p.Total).ToList(); // OrderBy is stable: ties keep model order
        return new CriticalPathAnalysis([.. ordered.Select(w => (w, ChainTo(w).Total))], paths);
    }
}
