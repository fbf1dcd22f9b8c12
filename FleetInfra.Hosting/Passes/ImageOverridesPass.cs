namespace FleetInfra.Hosting.Passes;

/// <summary><c>FleetInfra:Images:&lt;resource&gt;</c> and <c>FleetInfra:Registry</c>: rewrites the containers' image references.</summary>
internal sealed class ImageOverridesPass : IModelPass
{
    public void Apply(ModelPassContext context)
    {
        var settings = context.Settings;
        foreach (var container in context.App.Resources.OfType<ContainerResource>())
        {
            if (!container.TryGetLastAnnotation<ContainerImageAnnotation>(out var image))
            {
                continue;
            }

            if (settings.Images.TryGetValue(container.Name, out var reference))
            {
                image.Registry = reference.Registry ?? settings.Registry ?? image.Registry;
                image.Image = reference.Image;
                // Aspire keeps either a tag or a digest: setting one clears the other.
                if (reference.Sha256 is not null)
                {
                    image.SHA256 = reference.Sha256;
                }
                else
                {
                    image.Tag = reference.Tag ?? "latest";
                }
            }
            else if (settings.Registry is not null)
            {
                image.Registry = settings.Registry;
            }
        }
    }
}
