namespace FleetInfra.Hosting.Components;

/// <summary>Marks a container of the data layer: kept between runs when <c>FleetInfra:Lifetime</c> is Persistent.</summary>
public sealed class DataLayerAnnotation : IResourceAnnotation;

/// <summary>
/// Marks a container outside the data layer that is also kept between runs when <c>FleetInfra:Lifetime</c> is
/// Persistent (Prometheus: part of the local start set, and its metrics history survives a restart).
/// </summary>
public sealed class KeepBetweenRunsAnnotation : IResourceAnnotation;
