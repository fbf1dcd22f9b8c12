namespace FleetInfra.Hosting.Waves;

/// <summary>A request to a wave's loop, with why it was made (logged).</summary>
internal sealed record WaveRequest(WaveRequestKind Kind, string Reason);
