using System.Text.RegularExpressions;
using k8s.Models;

namespace FleetInfra.Hosting.Publishing.Workloads;

/// <summary>Container settings shared by the writers: resources, security context, ports, and the model's environment.</summary>
internal static partial class ContainerSpecs
{
    /// <summary>
    /// Requests and limits, the same in every cluster (a workload behaves alike everywhere); production's stricter
    /// ceilings are its LimitRange and ResourceQuota, which the lint checks these against.
    /// </summary>
    public static V1ResourceRequirements Resources(string cpu, string memory, string cpuLimit, string memoryLimit) => new()
    {
        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) },
        Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpuLimit), ["memory"] = new(memoryLimit) },
    };

    /// <summary>Non-root, no privilege escalation, no capabilities (unless named), RuntimeDefault seccomp.</summary>
    public static V1SecurityContext Restricted(long user, bool readOnlyRoot, params string[] addCapabilities) => new()
    {
        RunAsNonRoot = true,
        RunAsUser = user,
        RunAsGroup = user,
        AllowPrivilegeEscalation = false,
        ReadOnlyRootFilesystem = readOnlyRoot,
        Capabilities = new V1Capabilities { Drop = ["ALL"], Add = addCapabilities.Length > 0 ? addCapabilities : null },
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    public static V1EnvVar Env(string name, string value) => new() { Name = name, Value = value };

    public static V1EnvVar EnvFrom(string name, V1EnvVarSource source) => new() { Name = name, ValueFrom = source };

    public static V1PodSecurityContext PodSecurity(long user) => new()
    {
        RunAsNonRoot = true,
        RunAsUser = user,
        RunAsGroup = user,
        FsGroup = user,
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    public static List<V1ContainerPort> Ports(IResource resource) =>
        resource.Annotations.OfType<EndpointAnnotation>()
            .Select(e => new V1ContainerPort { Name = e.Name, ContainerPort = FluxBuildContext.TargetPort(resource, e.Name), Protocol = "TCP" })
            .ToList();

    public static V1Service Service(FluxBuildContext context, IResource resource) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = context.Meta(resource, resource.Name),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = FluxBuildContext.SelectorLabels(resource),
            Ports = Ports(resource).Select(p => new V1ServicePort { Name = p.Name, Port = p.ContainerPort, TargetPort = p.ContainerPort, Protocol = "TCP" }).ToList(),
        },
    };

    /// <summary>The host name a component's route answers on in the cluster.</summary>
    public static string PublicHost(FluxBuildContext context, IResource resource) => $"{resource.Name}.{context.Cluster.Domain}";

    /// <summary>
    /// The variables a routed component takes from its public URL (<see cref="PublicUrlEnvironmentAnnotation"/>), where
    /// the cluster serves it behind TLS; empty elsewhere.
    /// </summary>
    public static IReadOnlyDictionary<string, V1EnvVar> PublicUrlEnvironment(FluxBuildContext context, IResource resource) =>
        context.Cluster.Tls && context.IsRouted(resource) && resource.TryGetLastAnnotation<PublicUrlEnvironmentAnnotation>(out var annotation)
            ? annotation.Variables(new Uri($"https://{PublicHost(context, resource)}/")).ToDictionary(v => v.Key, v => Env(v.Key, v.Value))
            : new Dictionary<string, V1EnvVar>();

    [GeneratedRegex(@"\{(?<resource>[^.{}]+)\.(?<rest>[^{}]+)\}")]
    private static partial Regex Placeholder();

    /// <summary>
    /// The model's environment of <paramref name="resource"/>, translated for the cluster: endpoints become service
    /// names and ports, secret parameters become secret references, plain values stay.
    /// </summary>
    public static async Task<List<V1EnvVar>> EnvironmentAsync(FluxBuildContext context, IResource resource, IReadOnlyDictionary<string, V1EnvVar>? overrides = null)
    {
        var values = new Dictionary<string, object>();
        var callbackContext = new EnvironmentCallbackContext(context.ExecutionContext, resource, values, context.CancellationToken);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(callbackContext).ConfigureAwait(false);
        }

        var env = new List<V1EnvVar>();
        var secretParts = new List<V1EnvVar>(); // of composite values (ClusterValues): defined before every variable that expands them
        foreach (var (name, value) in values)
        {
            env.Add(overrides is not null && overrides.TryGetValue(name, out var replaced) ? replaced : Translate(context, resource, name, value, secretParts));
        }

        // Variables from the public URL replace the local ones (a secure-cookie flag) or come after them.
        var fromUrl = PublicUrlEnvironment(context, resource);
        env = env.Select(e => fromUrl.GetValueOrDefault(e.Name) ?? e).ToList();
        env.AddRange(fromUrl.Values.Where(v => !values.ContainsKey(v.Name)));
        return [.. secretParts, .. env];
    }

    /// <summary>The model's arguments (plain strings only: arguments are never secret here).</summary>
    public static async Task<List<string>> ArgumentsAsync(FluxBuildContext context, IResource resource)
    {
        var values = new List<object>();
        var callbackContext = new CommandLineArgsCallbackContext(values, resource, context.CancellationToken);
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(callbackContext).ConfigureAwait(false);
        }

        return values.Select(v => v as string ?? throw new FluxPublishException(
            $"'{resource.Name}': argument '{v}' is not a plain string. Fix: pass it through the environment so the publisher can map it.")).ToList();
    }

    private static V1EnvVar Translate(FluxBuildContext context, IResource resource, string name, object value, List<V1EnvVar> secretParts)
    {
        switch (value)
        {
            case string text:
                return ContainerSpecs.Env(name, text);
            case ParameterResource parameter:
                return Secret(context, resource, name, parameter);
            case ReferenceExpression { ValueProviders.Count: 0 } literal when ReferencedCredentials(resource).FirstOrDefault(c => c.UserNameExpression() == literal.ValueExpression) is { } credentials:
                // A user name that is a literal locally while the cluster generates the credentials (the service's ClusterCredentials).
                return ContainerSpecs.EnvFrom(name, new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = credentials.Secret, Key = "username" } });
            case ReferenceExpression { ValueProviders.Count: 1 } single when single.ValueProviders[0] is ParameterResource p && single.ValueExpression == p.ValueExpression:
                return Secret(context, resource, name, p);
            case IManifestExpressionProvider wrapped when ReferencedCredentials(resource).FirstOrDefault(c => c.UserNameExpression() == wrapped.ValueExpression) is { } generated:
                // The same user name inside an expression (Aspire's <NAME>_USERNAME connection property of a reference).
                return ContainerSpecs.EnvFrom(name, new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = generated.Secret, Key = "username" } });
            case var composite when ClusterValues.HasParts(composite):
                // A connection string (WithReference) or a value with secret parts: $(VAR) expansion of secretKeyRefs.
                var parts = new ClusterValues(context, resource, name);
                var composed = parts.Text(composite);
                secretParts.AddRange(parts.SecretParts.Where(p => secretParts.All(s => s.Name != p.Name)));
                return ContainerSpecs.Env(name, composed);
            case IManifestExpressionProvider expression:
                return ContainerSpecs.Env(name, Resolve(context, resource, name, expression.ValueExpression));
            default:
                throw new FluxPublishException($"'{resource.Name}': environment variable '{name}' has a value the publisher cannot map ({value.GetType().Name}).");
        }
    }

    private static V1EnvVar Secret(FluxBuildContext context, IResource resource, string name, ParameterResource parameter) =>
        EnvFrom(name, new V1EnvVarSource { SecretKeyRef = context.SecretFor(parameter, resource) });

    /// <summary>Generated credentials of the services <paramref name="resource"/> references (a database counts for its server).</summary>
    internal static IEnumerable<ClusterCredentials> ReferencedCredentials(IResource resource) =>
        resource.Annotations.OfType<ResourceRelationshipAnnotation>()
            .Select(r => FluxBuildContext.ServiceOwner(r.Resource))
            .Distinct()
            .Select(r => FluxBuildContext.ClusterService(r)?.Credentials)
            .OfType<ClusterCredentials>();

    /// <summary>Replaces <c>{resource.bindings.endpoint.host|port|targetPort|url}</c> with the cluster's service address.</summary>
    internal static string Resolve(FluxBuildContext context, IResource consumer, string variable, string expression)
    {
        var ns = context.NamespaceOf(consumer);
        return Placeholder().Replace(expression, match =>
        {
            var target = context.Resource(match.Groups["resource"].Value);
            var parts = match.Groups["rest"].Value.Split('.');
            if (target is null || parts.Length != 3 || parts[0] != "bindings")
            {
                throw new FluxPublishException(
                    $"'{consumer.Name}': environment variable '{variable}' uses '{match.Value}', which has no cluster equivalent. " +
                    "Fix: use an endpoint property (host, port, url) or a secret parameter seeded into Secrets Manager.");
            }

            var port = FluxBuildContext.Port(FluxBuildContext.ClusterService(target)?.Port ?? FluxBuildContext.TargetPort(target, parts[1]));
            var host = context.ServiceHost(target, ns);
            return parts[2] switch
            {
                "host" => host,
                "port" or "targetPort" => port,
                "url" => $"http://{host}:{port}",
                "scheme" => "http",
                _ => throw new FluxPublishException($"'{consumer.Name}': environment variable '{variable}' uses endpoint property '{parts[2]}', which has no cluster equivalent."),
            };
        });
    }
}
