namespace FleetInfra.Hosting.Components.N8n;

/// <summary>n8n, workflow automation, with PostgreSQL as its backend.</summary>
public sealed class N8nResource(string name, ParameterResource encryptionKey) : ContainerResource(name)
{
    /// <summary>The HTTP endpoint (UI, API, health, metrics).</summary>
    public const string HttpEndpointName = "http";

    internal const int HttpTargetPort = 5678;

    /// <summary>The key n8n encrypts stored credentials with (a secret parameter).</summary>
    public ParameterResource EncryptionKey { get; } = encryptionKey;

    /// <summary>The owner account n8n provisions from the environment (<see cref="N8nBuilderExtensions.WithOwner"/>), if set.</summary>
    public N8nOwner? Owner { get; internal set; }
}
