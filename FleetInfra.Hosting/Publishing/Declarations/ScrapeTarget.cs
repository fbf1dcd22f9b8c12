namespace FleetInfra.Hosting.Publishing;

/// <summary>A metrics endpoint a scraper reaches in the cluster.</summary>
/// <param name="Resource">The component whose metrics these are.</param>
/// <param name="Namespace">The namespace of the pods that serve them.</param>
/// <param name="Host">The service host the scraper connects to.</param>
/// <param name="Port">The port (service and pods).</param>
/// <param name="Path">The metrics path.</param>
/// <param name="PodName">The <c>app.kubernetes.io/name</c> of the pods that serve them.</param>
internal sealed record ScrapeTarget(IResource Resource, string Namespace, string Host, int Port, string Path, string PodName);
