using Microsoft.Extensions.Logging;

namespace FleetInfra.Hosting.Waves;

/// <summary>A wave's two logs: the AppHost's own (the terminal) and the wave's resource log (the dashboard).</summary>
internal sealed class WaveLog(ILogger host, ILogger resource)
{
    /// <summary>The wave's resource log only (member details that would crowd the terminal).</summary>
    public ILogger Resource { get; } = resource;

    /// <summary>One line in the terminal and the same in the wave's resource log.</summary>
    public void Both(LogLevel level, string message, params object?[] args)
    {
#pragma warning disable CA2254 // The templates are the constants passed by the wave's types.
        host.Log(level, message, args);
        Resource.Log(level, message, args);
#pragma warning restore CA2254
    }
}
