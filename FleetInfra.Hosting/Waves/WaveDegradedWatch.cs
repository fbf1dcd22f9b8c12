using FleetInfra.Hosting.Components.ClusterOnly;
using static FleetInfra.Hosting.Waves.WaveMonitor;

namespace FleetInfra.Hosting.Waves;

/// <summary>
/// While a wave is ready or degraded: follows its members' snapshots and tells the controller when the set of
/// members that are not ready, or how they look, changes - or when every member is ready again. Observation only;
/// the phase, the log lines and the dashboard belong to <see cref="WaveController"/>.
/// </summary>
internal sealed class WaveDegradedWatch(WaveResource wave, ResourceNotificationService notifications)
{
    private string[] _degraded = [];
    private string? _degradedText;

    /// <summary>Forgets what was seen (the wave reconciled or turned ready).</summary>
    public void Reset()
    {
        _degraded = [];
        _degradedText = null;
    }

    /// <summary>
    /// Until cancelled: calls <paramref name="degraded"/> (names, their description, whether the set changed, whether
    /// the description changed) while a member is not ready, and <paramref name="recovered"/> once all are again.
    /// </summary>
    public async Task WatchAsync(Func<bool> isDegraded, Func<string[], string, bool, bool, Task> degraded, Func<Task> recovered, CancellationToken cancellationToken)
    {
        var members = wave.Members.Where(m => m is not ClusterOnlyResource).ToDictionary(m => m.Name);
        var latest = new Dictionary<string, CustomResourceSnapshot?>(StringComparer.Ordinal);
        foreach (var name in members.Keys)
        {
            latest[name] = notifications.TryGetCurrentState(name, out var e) ? e.Snapshot : null;
        }

        await UpdateAsync().ConfigureAwait(false);
        await foreach (var e in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            if (members.ContainsKey(e.Resource.Name))
            {
                latest[e.Resource.Name] = e.Snapshot;
                await UpdateAsync().ConfigureAwait(false);
            }
        }

        async Task UpdateAsync()
        {
            var notReady = members.Values.Where(m => Evaluate(m, latest[m.Name]) is not MemberState.Ready).OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
            var names = notReady.Select(m => m.Name).ToArray();
            var text = string.Join(", ", notReady.Select(m => Describe(m, latest[m.Name])));
            if (names.Length > 0)
            {
                var changed = !names.SequenceEqual(_degraded);
                var textChanged = changed || text != _degradedText;
                _degraded = names;
                _degradedText = textChanged ? text : _degradedText;
                await degraded(names, text, changed, textChanged).ConfigureAwait(false);
            }
            else if (isDegraded())
            {
                Reset();
                await recovered().ConfigureAwait(false);
            }
        }
    }
}
