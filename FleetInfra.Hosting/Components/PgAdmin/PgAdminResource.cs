namespace FleetInfra.Hosting.Components.PgAdmin;

/// <summary>
/// pgAdmin 4 in server mode with login credentials from parameters and the PostgreSQL servers of the
/// model pre-registered. (Aspire's <c>WithPgAdmin</c> is not used: it is excluded from publishing, and the
/// cluster needs the same component.)
/// </summary>
public sealed class PgAdminResource(string name, ParameterResource email, ParameterResource password) : ContainerResource(name)
{
    /// <summary>The HTTP endpoint.</summary>
    public const string HttpEndpointName = "http";

    internal const int HttpTargetPort = 80;

    private readonly List<PostgresServerResource> _servers = [];

    /// <summary>The login e-mail (a parameter).</summary>
    public ParameterResource Email { get; } = email;

    /// <summary>The login password (a secret parameter).</summary>
    public ParameterResource Password { get; } = password;

    /// <summary>The PostgreSQL servers registered in pgAdmin.</summary>
    public IReadOnlyList<PostgresServerResource> Servers => _servers;

    internal void AddServer(PostgresServerResource server) => _servers.Add(server);
}
