namespace FleetInfra.Hosting.Components.LocalStack;

/// <summary>The LocalStack image, pinned in one place.</summary>
internal static class LocalStackContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "localstack/localstack";

    /// <summary>The last tag that runs without <c>LOCALSTACK_AUTH_TOKEN</c>.</summary>
    // renovate: datasource=docker depName=localstack/localstack
    public const string Tag = "4.14.0";
}
