namespace FleetInfra.Hosting.Waves;

/// <summary>
/// Containers and .NET projects that are in no wave: nothing would deploy them (the Flux tree has one Kustomization per
/// wave), so publishing stops naming them and a local run warns. Resources excluded from the manifest are not deployed
/// anyway and do not count.
/// </summary>
public static class UnplacedComponents
{
    /// <summary>The containers and projects of <paramref name="resources"/> in no wave, in declaration order.</summary>
    public static IReadOnlyList<IResource> Of(IEnumerable<IResource> resources) =>
        resources.Where(r => r is ContainerResource or ProjectResource && r.GetWave() is null && !ExcludedFromManifest(r)).ToList();

    /// <summary>The problem and its fix, for one resource.</summary>
    public static string Describe(IResource resource) =>
        $"'{resource.Name}' is in no wave, so nothing deploys it. Fix: add .InWave(<wave>) to it in the AppHost's Program.cs (e.g. .InWave(services)).";

    private static bool ExcludedFromManifest(IResource resource) =>
        resource.TryGetLastAnnotation<ManifestPublishingCallbackAnnotation>(out var manifest) && manifest.Callback is null;
}
