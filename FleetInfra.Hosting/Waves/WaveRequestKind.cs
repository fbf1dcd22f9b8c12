namespace FleetInfra.Hosting.Waves;

/// <summary>What can be asked of a wave.</summary>
internal enum WaveRequestKind
{
    Reconcile,
    Suspend,
    Resume,
}
