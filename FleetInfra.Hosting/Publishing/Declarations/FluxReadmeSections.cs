namespace FleetInfra.Hosting.Publishing;

/// <summary>The README paragraphs components add to.</summary>
internal static class FluxReadmeSections
{
    /// <summary>A sentence on credentials the cluster generates instead of Secrets Manager (ends with a space).</summary>
    public const string GeneratedCredentials = "secrets.generated";

    /// <summary>The name of what generates Secrets in the cluster for the component (an operator), as the publish lint accepts them.</summary>
    public const string SecretGenerator = "lint.secret-generator";
}
