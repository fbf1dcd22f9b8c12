using FleetInfra.Hosting.Graph;
// Builder extensions live in FleetInfra.Hosting (like Aspire's in Aspire.Hosting): one using reaches every component's API.
namespace FleetInfra.Hosting;

/// <summary>Why a component waits for another; used when the other is left out of a local run.</summary>
/// <param name="Target">The resource waited for.</param>
/// <param name="Purpose">What the dependency provides, e.g. "S3 backups".</param>
public sealed record DependencyPurposeAnnotation(IResource Target, string Purpose) : IResourceAnnotation;

/// <summary>Service-level dependencies of the seed document, as <c>WaitFor</c> edges with a stated purpose.</summary>
public static class DependencyExtensions
{
    /// <summary>
    /// Starts the component after <paramref name="dependency"/> is ready, saying what it provides. When the
    /// dependency is left out of a local run the edge is dropped and the log names what is missing.
    /// </summary>
    public static IResourceBuilder<T> Needs<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency, string purpose)
        where T : IResourceWithWaitSupport =>
        builder.WithAnnotation(new DependencyPurposeAnnotation(dependency.Resource, purpose)).WaitFor(dependency);
}
