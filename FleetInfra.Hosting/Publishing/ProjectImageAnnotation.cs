namespace FleetInfra.Hosting.Publishing;

/// <summary>
/// The container image a .NET project runs in the cluster: the publish parameter <c>&lt;resource&gt;-image</c>
/// (<c>Parameters:myapi-image=registry.example.com/team/myapi:1.4.2</c>), a deployment-time value as Aspire's own
/// publishers make it (the compose publisher's <c>&lt;RESOURCE&gt;_IMAGE</c>). Publishing without a value fails naming it.
/// </summary>
/// <param name="Image">The parameter (publish mode only; a local run never asks for it).</param>
public sealed record ProjectImageAnnotation(ParameterResource Image) : IResourceAnnotation;
