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

    // pgAdmin's image listens on 80 as uid 5050 through file capabilities, which allowPrivilegeEscalation: false
    // (no_new_privs) ignores: bind(:80) fails on runtimes without net.ipv4.ip_unprivileged_port_start=0
    // (containerd 1.x, stock CRI-O). PGADMIN_LISTEN_PORT moves it (pgadmin4 pkg/docker/entrypoint.sh; PR #9985).
    internal const int HttpTargetPort = 8080;

    private readonly List<PostgresServerResource> _servers = [];

    /// <summary>The login e-mail (a parameter).</summary>
    public ParameterResource Email { get; } = email;

    /// <summary>The login password (a secret parameter).</summary>
    public ParameterResource Password { get; } = password;

    /// <summary>The PostgreSQL servers registered in pgAdmin.</summary>
    public IReadOnlyList<PostgresServerResource> Servers => _servers;

    internal void AddServer(PostgresServerResource server) => _servers.Add(server);
}
