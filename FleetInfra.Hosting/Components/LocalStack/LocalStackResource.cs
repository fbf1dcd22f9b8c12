namespace FleetInfra.Hosting.Components.LocalStack;

/// <summary>
/// LocalStack: S3 (PostgreSQL backups) and Secrets Manager (what the cluster's ExternalSecrets read).
/// Its connection string is the edge URL, usable as an AWS SDK service URL.
/// </summary>
public sealed class LocalStackResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    /// <summary>The edge endpoint.</summary>
    public const string HttpEndpointName = "http";

    internal const int EdgeTargetPort = 4566;

    private readonly List<SeededSecret> _secrets = [];
    private EndpointReference? _http;

    /// <summary>The edge endpoint.</summary>
    public EndpointReference HttpEndpoint => _http ??= new(this, HttpEndpointName);

    /// <summary>The bucket the init script creates for PostgreSQL backups.</summary>
    public string BackupBucket { get; internal set; } = "fleet-infra-postgres-backups";

    /// <summary>The Secrets Manager secrets the init script seeds (names only; values stay parameters).</summary>
    public IReadOnlyList<SeededSecret> Secrets => _secrets;

    /// <inheritdoc />
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{HttpEndpoint.Property(EndpointProperty.Url)}");

    internal void AddSecret(SeededSecret secret) => _secrets.Add(secret);
}

/// <summary>A Secrets Manager secret seeded from an Aspire parameter.</summary>
/// <param name="Name">The secret name in Secrets Manager (what an ExternalSecret's remoteRef key names).</param>
/// <param name="Value">The parameter holding the value.</param>
public sealed record SeededSecret(string Name, ParameterResource Value);
