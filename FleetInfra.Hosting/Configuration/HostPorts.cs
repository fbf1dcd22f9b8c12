using System.Net;
using System.Net.Sockets;

namespace FleetInfra.Hosting.Configuration;

/// <summary>
/// <c>FleetInfra:Ports:*</c>: resolves the overrides against the model's endpoints, applies them, and finds the host
/// ports of a local run that cannot be bound (given twice, or already taken by another program) before anything starts.
/// </summary>
internal static class HostPorts
{
    /// <summary>The configuration key of the port settings.</summary>
    public const string Key = $"{FleetInfraSettings.SectionName}:Ports";

    /// <summary>An override resolved to the endpoint it changes.</summary>
    public sealed record Resolved(PortOverride Override, IResource Resource, EndpointAnnotation Endpoint);

    /// <summary>The resources that have endpoints, i.e. host ports (the names <c>FleetInfra:Ports</c> accepts).</summary>
    public static IEnumerable<IResource> WithEndpoints(IEnumerable<IResource> resources) =>
        resources.Where(r => r.Annotations.OfType<EndpointAnnotation>().Any());

    /// <summary>
    /// The key that changes each endpoint's host port: <c>FleetInfra:Ports:&lt;resource&gt;</c> for the resource's only
    /// endpoint with a declared host port (or its only endpoint), <c>FleetInfra:Ports:&lt;resource&gt;:&lt;endpoint&gt;</c> otherwise.
    /// Taken from the declared model, so the advice stays the same whatever overrides are applied.
    /// </summary>
    public static Dictionary<EndpointAnnotation, string> Keys(IEnumerable<IResource> resources)
    {
        var keys = new Dictionary<EndpointAnnotation, string>();
        foreach (var resource in WithEndpoints(resources))
        {
            var bare = BareTarget(resource, out _);
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
            {
                keys[endpoint] = endpoint == bare ? $"{Key}:{resource.Name}" : $"{Key}:{resource.Name}:{endpoint.Name}";
            }
        }

        return keys;
    }

    /// <summary>Finds the endpoint of each override; unknown endpoints and ambiguous bare keys fail naming the allowed ones.</summary>
    public static List<Resolved> Resolve(IEnumerable<IResource> resources, IReadOnlyList<PortOverride> overrides)
    {
        var byName = WithEndpoints(resources).ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
        var resolved = new List<Resolved>();
        foreach (var setting in overrides)
        {
            var resource = byName[setting.Resource]; // names were checked against the model first
            var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
            var allowed = string.Join(", ", endpoints.Select(e => e.Name));
            EndpointAnnotation endpoint;
            if (setting.Endpoint is null)
            {
                endpoint = BareTarget(resource, out var candidates) ?? throw new FleetInfraConfigurationException(setting.Key,
                    $"'{resource.Name}' has several host endpoints ({string.Join(", ", candidates.Select(e => e.Name))}): set one with " +
                    $"{setting.Key}:<endpoint>. Allowed endpoints: {allowed}.");
            }
            else
            {
                endpoint = endpoints.SingleOrDefault(e => string.Equals(e.Name, setting.Endpoint, StringComparison.OrdinalIgnoreCase))
                    ?? throw new FleetInfraConfigurationException($"{Key}:{setting.Resource}",
                        $"unknown endpoint '{setting.Endpoint}' of '{resource.Name}'. Allowed: {allowed}.");
            }

            if (resolved.FirstOrDefault(r => r.Endpoint == endpoint) is { } earlier && earlier.Override.Port != setting.Port)
            {
                throw new FleetInfraConfigurationException(setting.Key,
                    $"endpoint '{endpoint.Name}' of '{resource.Name}' is already set by '{earlier.Override.Key}' to {Describe(earlier.Override.Port)}. Allowed: one of the two keys.");
            }

            resolved.Add(new Resolved(setting, resource, endpoint));
        }

        return resolved;
    }

    /// <summary>Sets the host ports (run mode only: publishing keeps the declared ones).</summary>
    public static void Apply(IEnumerable<Resolved> overrides)
    {
        foreach (var (setting, _, endpoint) in overrides)
        {
            // Only the host side moves: the container keeps listening where it did (an endpoint without a
            // target port listens on its host port, so pin that first), and other containers keep dialling it.
            endpoint.TargetPort ??= endpoint.Port;
            endpoint.Port = setting.Port;
        }
    }

    /// <summary>
    /// One line per clash among the fixed host ports of <paramref name="resources"/>: a port given to two endpoints,
    /// or a port another program already holds. Empty when every port can be bound.
    /// </summary>
    /// <remarks>
    /// What a local run binds on the host. Aspire.Hosting 13.6.5's <c>DcpExecutor.PrepareServices</c> resolves each endpoint
    /// with <c>GetEffectiveIsProxied</c> (read from the 13.6.5 assembly; the newest dotnet/aspire source on the search
    /// tools is 13.3 and still proxies every container): proxy-less when the container has
    /// <c>WithEndpointProxySupport(false)</c>, else as the endpoint says explicitly (<c>IsExplicitlyProxied</c>), else proxied
    /// under <c>DcpPublisher:RandomizePorts=true</c> (Aspire.Hosting.Testing's default), else proxied unless the resource
    /// has a persistent lifetime. A proxied endpoint is a DCP proxy listening on <c>Port</c> at <c>localhost</c> (random
    /// under RandomizePorts, so nothing fixed is bound); a proxy-less one is published by the container itself on
    /// <c>Port</c> (<c>BuildContainerPorts</c>: <c>HostPort = Port</c>).
    /// <para>
    /// So with <c>FleetInfra:Lifetime=Persistent</c>, postgres, redis and prometheus publish their fixed host ports
    /// themselves, and keep them while the AppHost is down: tried here, <c>docker ps</c> shows
    /// <c>postgres-&lt;hash&gt; 127.0.0.1:P-&gt;5432/tcp</c> (held by docker-proxy) during the run and after the AppHost
    /// exited. On the warm restart that port is taken - by this stack's own container, which the run reattaches to.
    /// For a proxy-less endpoint of a persistent container whose port is taken, <paramref name="heldByOwnContainer"/>
    /// asks the container runtime whether that very container publishes it (only then; nothing else needs a runtime).
    /// </para>
    /// </remarks>
    public static List<string> FindClashes(IEnumerable<IResource> resources, IReadOnlyDictionary<EndpointAnnotation, string> keys, bool randomizePorts,
        Func<IResource, EndpointAnnotation, bool> heldByOwnContainer)
    {
        var bound = new List<(IResource Resource, EndpointAnnotation Endpoint, int Port, bool Proxyless)>();
        foreach (var resource in WithEndpoints(resources))
        {
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
            {
                var proxyless = IsProxyless(resource, endpoint, randomizePorts);
                if (endpoint.Port is int port && (proxyless || !randomizePorts))
                {
                    bound.Add((resource, endpoint, port, proxyless));
                }
            }
        }

        var clashes = new List<string>();
        foreach (var group in bound.GroupBy(b => (b.Port, b.Endpoint.Protocol)).OrderBy(g => g.Key.Port))
        {
            var owners = group.ToList();
            var port = group.Key.Port;
            if (owners.Count > 1)
            {
                clashes.Add($"Port {port} is given to {Join(owners.Select(o => Name(o.Resource, o.Endpoint)))}. " +
                    $"Set {Join(owners.Select(o => KeyOf(keys, o.Resource, o.Endpoint)), "or")} to another port or '{FleetInfraSettings.AutoPort}'.");
            }

            // UDP endpoints are only checked for duplicates: a bound UDP port is not "listening" in a way a bind test can tell apart.
            if (group.Key.Protocol != ProtocolType.Tcp || !InUse(port))
            {
                continue;
            }

            foreach (var (resource, endpoint, _, proxyless) in owners)
            {
                if (proxyless && IsPersistent(resource) && heldByOwnContainer(resource, endpoint))
                {
                    continue; // our own persistent container, still running from the last session (warm restart)
                }

                clashes.Add($"Port {port} of {Name(resource, endpoint)} is already in use by another program. " +
                    $"Set {KeyOf(keys, resource, endpoint)} to a free port or '{FleetInfraSettings.AutoPort}'.");
            }
        }

        return clashes;
    }

    /// <summary>
    /// Whether another program holds the TCP port. Tried here (Aspire 13.6.5, DCP 0.26.6): DCP's proxy of a session
    /// container listens on 127.0.0.1:<c>Port</c> (its service address <c>localhost</c>), and a persistent container is
    /// published on 127.0.0.1:<c>Port</c>. A program on the wildcard address or on any IPv4 address of the machine makes
    /// a bind on <see cref="IPAddress.Any"/> fail; one on [::1] only is reported too, since <c>localhost</c> URLs may reach
    /// it first. Only "address in use" counts: an address the machine lacks (no IPv6) says nothing about the port.
    /// The listener is closed at once.
    /// </summary>
    public static bool InUse(int port)
    {
        IEnumerable<IPAddress> addresses = Socket.OSSupportsIPv6 ? [IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Any] : [IPAddress.Loopback, IPAddress.Any];
        foreach (var address in addresses)
        {
            var listener = new TcpListener(address, port);
            try
            {
                listener.Start();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return true;
            }
            catch (SocketException)
            {
                // Not an answer about the port (e.g. no IPv6 loopback on this machine).
            }
            finally
            {
                listener.Stop();
                listener.Dispose();
            }
        }

        return false;
    }

    // Aspire.Hosting 13.6.5 DcpExecutor.GetEffectiveIsProxied (see FindClashes), for the containers of this model.
    private static bool IsProxyless(IResource resource, EndpointAnnotation endpoint, bool randomizePorts) =>
        (resource.TryGetLastAnnotation<ProxySupportAnnotation>(out var proxy) && !proxy.ProxyEnabled)
        || (endpoint.IsExplicitlyProxied is { } proxied ? !proxied : !randomizePorts && IsPersistent(resource));

    private static bool IsPersistent(IResource resource) =>
        resource.TryGetLastAnnotation<ContainerLifetimeAnnotation>(out var lifetime) && lifetime.Lifetime == ContainerLifetime.Persistent;

    // The endpoint a bare FleetInfra:Ports:<resource> sets: the only one with a declared host port, else the only one.
    private static EndpointAnnotation? BareTarget(IResource resource, out List<EndpointAnnotation> candidates)
    {
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
        candidates = endpoints.Where(e => e.Port is not null).ToList();
        if (candidates.Count == 0)
        {
            candidates = endpoints;
        }

        return candidates.Count == 1 ? candidates[0] : null;
    }

    private static string KeyOf(IReadOnlyDictionary<EndpointAnnotation, string> keys, IResource resource, EndpointAnnotation endpoint) =>
        keys.TryGetValue(endpoint, out var key) ? key : $"{Key}:{resource.Name}:{endpoint.Name}";

    private static string Name(IResource resource, EndpointAnnotation endpoint) => $"'{resource.Name}' (endpoint '{endpoint.Name}')";

    private static string Describe(int? port) => port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? $"'{FleetInfraSettings.AutoPort}'";

    private static string Join(IEnumerable<string> items, string last = "and")
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Join("", list) : $"{string.Join(", ", list[..^1])} {last} {list[^1]}";
    }
}
