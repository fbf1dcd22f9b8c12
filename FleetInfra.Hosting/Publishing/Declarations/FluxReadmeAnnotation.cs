namespace FleetInfra.Hosting.Publishing;

/// <summary>What a component adds to a paragraph of the published tree's README.</summary>
/// <param name="Section">The paragraph (<see cref="FluxReadmeSections"/>).</param>
/// <param name="Text">The text, in the paragraph's own form (see each section).</param>
internal sealed record FluxReadmeAnnotation(string Section, string Text) : IResourceAnnotation;
