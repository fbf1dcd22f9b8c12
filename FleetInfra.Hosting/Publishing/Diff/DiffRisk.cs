namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>Something a change puts at risk: the object, what changes, why it matters (what Kubernetes and Flux then do) and what to do.</summary>
internal sealed record DiffRisk(string Wave, ObjectKey Key, string What, string Why, string ToDo);
