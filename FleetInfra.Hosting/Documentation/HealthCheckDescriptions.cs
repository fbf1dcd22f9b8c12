using System.ComponentModel;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FleetInfra.Hosting.Documentation;

/// <summary>
/// What a <see cref="HealthCheckAnnotation"/> key stands for, derived from how the check was registered rather
/// than typed per component: Aspire's HTTP checks encode endpoint, path and status in the key; Aspire's
/// integrations register a connection check named <c>&lt;resource&gt;_check</c>; a gRPC probe's check is named
/// <c>&lt;resource&gt;_&lt;endpoint&gt;</c> (<see cref="ProbeBuilderExtensions"/>); any other check is named by
/// the <see cref="DescriptionAttribute"/> or type of the <see cref="IHealthCheck"/> it creates.
/// </summary>
internal sealed partial class HealthCheckDescriptions(IServiceProvider? services)
{
    // Aspire's WithHttpHealthCheck key: "{resource}_{endpoint}_{path}_{status}_check".
    [GeneratedRegex(@"^(?<path>/.*)_(?<status>\d{3})_check$")]
    private static partial Regex HttpCheckTail();

    private readonly IReadOnlyList<HealthCheckRegistration> _registrations =
        services?.GetService<IOptions<HealthCheckServiceOptions>>()?.Value.Registrations.ToList() ?? [];

    /// <summary>A one-line description of <paramref name="key"/> on <paramref name="resource"/>.</summary>
    public string Describe(IResource resource, string key)
    {
        foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
        {
            var prefix = $"{resource.Name}_{endpoint.Name}_";
            if (key.StartsWith(prefix, StringComparison.Ordinal) && HttpCheckTail().Match(key[prefix.Length..]) is { Success: true } http)
            {
                return $"HTTP GET `{http.Groups["path"].Value}` on endpoint `{endpoint.Name}` answers {http.Groups["status"].Value}";
            }
        }

        if (resource.Annotations.OfType<Probes.GrpcProbeAnnotation>().FirstOrDefault(p => key == $"{resource.Name}_{p.EndpointReference.EndpointName}") is { } grpc)
        {
            return $"gRPC health of `{grpc.Service ?? "(server)"}` on endpoint `{grpc.EndpointReference.EndpointName}` is SERVING";
        }

        if (key == $"{resource.Name}_check" && resource is IResourceWithConnectionString)
        {
            return "connects with its connection string (the Aspire integration's client check)";
        }

        return CheckType(key) is { } type
            ? type.GetCustomAttribute<DescriptionAttribute>()?.Description ?? $"`{type.Name}`"
            : "custom check";
    }

    // The registration's factory is the only place the check's type is known. Factories of checks that
    // need run-time values (connection strings) throw here; those were matched by name above.
    private Type? CheckType(string key)
    {
        if (services is null || _registrations.FirstOrDefault(r => r.Name == key) is not { } registration)
        {
            return null;
        }

        try
        {
            var check = registration.Factory(services);
            (check as IDisposable)?.Dispose(); // only its type was wanted
            return check.GetType();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NullReferenceException)
        {
            return null;
        }
    }
}
