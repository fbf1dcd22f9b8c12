using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing.Workloads;

/// <summary>
/// Turns a model value made of parts (a connection string, a URI with a password) into one cluster environment value:
/// literals stay, endpoints become service addresses, and every secret part becomes a variable of its own from a
/// <c>secretKeyRef</c> that the value refers to as <c>$(NAME)</c>. Kubernetes expands <c>$(NAME)</c> from variables
/// defined earlier in the container's list, and <c>$$</c> escapes a literal <c>$</c> (Kubernetes API, EnvVar.value;
/// https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/), so no
/// secret value is ever written. A referenced resource's connection string is its cluster form
/// (<see cref="ClusterConnectionStringAnnotation"/>) when it declares one, else its own expression.
/// </summary>
internal sealed partial class ClusterValues(FluxBuildContext context, IResource consumer, string variable)
{
    /// <summary>The secret parts, in first-use order; they go before every other variable of the container.</summary>
    public List<V1EnvVar> SecretParts { get; } = [];

    /// <summary>True when <paramref name="value"/> needs this translation: it has a secret or connection-string part.</summary>
    public static bool HasParts(object value) => value switch
    {
        ParameterResource or ConnectionStringReference or IResourceWithConnectionString => true,
        ReferenceExpression expression => expression.ValueProviders.Any(HasParts),
        _ => false,
    };

    /// <summary>The cluster form of <paramref name="value"/>, with <c>$(NAME)</c> for its secret parts.</summary>
    public string Text(object value)
    {
        switch (value)
        {
            case string literal:
                return literal.Replace("$", "$$", StringComparison.Ordinal);
            case ParameterResource parameter:
                return Part(context.SecretFor(parameter, consumer));
            case ConnectionStringReference reference:
                return Text(ConnectionString(reference.Resource));
            case IResourceWithConnectionString resource:
                return Text(ConnectionString(resource));
            case IManifestExpressionProvider literal when ContainerSpecs.ReferencedCredentials(consumer).FirstOrDefault(c => c.UserNameExpression() == literal.ValueExpression) is { } credentials:
                // A user name that is a literal locally while the cluster generates the credentials.
                return Part(new V1SecretKeySelector { Name = credentials.Secret, Key = "username" });
            case ReferenceExpression expression:
                return Format(expression);
            case IManifestExpressionProvider expression:
                return ContainerSpecs.Resolve(context, consumer, variable, expression.ValueExpression);
            default:
                throw new FluxPublishException($"'{consumer.Name}': environment variable '{variable}' has a part the publisher cannot map ({value.GetType().Name}).");
        }
    }

    /// <summary>The connection string clients of <paramref name="resource"/> use in the cluster.</summary>
    public static ReferenceExpression ConnectionString(IResourceWithConnectionString resource) =>
        resource.Annotations.OfType<ClusterConnectionStringAnnotation>().LastOrDefault()?.ConnectionString() ?? resource.ConnectionStringExpression;

    /// <summary>
    /// The ports of other components <paramref name="value"/> connects to, by the component whose service serves them (a
    /// database's server): what the network policies admit the consumer on.
    /// </summary>
    public static IEnumerable<(IResource Target, int Port)> Endpoints(object? value) => value switch
    {
        EndpointReference endpoint => [Endpoint(endpoint)],
        EndpointReferenceExpression property => [Endpoint(property.Endpoint)],
        ConnectionStringReference reference => Endpoints(ConnectionString(reference.Resource)),
        IResourceWithConnectionString resource => Endpoints(ConnectionString(resource)),
        ReferenceExpression expression => expression.ValueProviders.SelectMany(Endpoints),
        _ => [],
    };

    private static (IResource Target, int Port) Endpoint(EndpointReference endpoint)
    {
        var owner = FluxBuildContext.ServiceOwner(endpoint.Resource);
        return (owner, FluxBuildContext.ClusterService(owner)?.Port ?? FluxBuildContext.TargetPort(endpoint.Resource, endpoint.EndpointName));
    }

    [GeneratedRegex(@"\{\{|\}\}|\{(?<index>\d+)(?<format>:[^{}]*)?\}")]
    private static partial Regex FormatItem();

    private string Format(ReferenceExpression expression)
    {
        var text = new StringBuilder();
        var last = 0;
        foreach (Match item in FormatItem().Matches(expression.Format))
        {
            text.Append(Text(expression.Format[last..item.Index]));
            text.Append(item.Value switch
            {
                "{{" => "{",
                "}}" => "}",
                _ => Text(expression.ValueProviders[int.Parse(item.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture)]),
            });
            last = item.Index + item.Length;
        }

        return text.Append(Text(expression.Format[last..])).ToString();
    }

    // One variable per Secret key and container, named after them (C identifier, as every variable of the tree).
    private string Part(V1SecretKeySelector selector)
    {
        var name = "FLEETINFRA_SECRET_" + NonIdentifier().Replace($"{selector.Name}_{selector.Key}", "_").ToUpperInvariant();
        if (SecretParts.All(p => p.Name != name))
        {
            SecretParts.Add(ContainerSpecs.EnvFrom(name, new V1EnvVarSource { SecretKeyRef = selector }));
        }

        return $"$({name})";
    }

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex NonIdentifier();
}
