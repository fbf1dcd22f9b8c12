namespace FleetInfra.Hosting.Components.N8n;

/// <summary>The owner account n8n provisions from the environment.</summary>
/// <param name="Email">The owner's email (the login).</param>
/// <param name="Password">The owner's password (a secret parameter); n8n receives only its bcrypt hash.</param>
public sealed record N8nOwner(ParameterResource Email, ParameterResource Password)
{
    /// <summary>bcrypt's cost locally, the same as External Secrets' template function (sprig bcrypt: golang.org/x/crypto/bcrypt DefaultCost 10).</summary>
    internal const int WorkFactor = 10;

    /// <summary>The Kubernetes Secret, computed by an ExternalSecret, with the hash under <see cref="HashKey"/>.</summary>
    internal const string HashKey = "password-hash";
}
