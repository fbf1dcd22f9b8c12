using System.Net;
using System.Net.Sockets;
using FleetInfra.Hosting.Components.Traefik;
using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Runtime;
using FleetInfra.Tests.Infrastructure;

namespace FleetInfra.Tests.Model;

/// <summary>FleetInfra:Ports:* - host port overrides, and the port check of a local run (no container is started).</summary>
public class PortTests
{
    // Aspire.Hosting.Testing randomizes proxied ports by default; the local run (dotnet run) does not.
    private const string FixedPorts = "DcpPublisher:RandomizePorts=false";

    [Fact]
    public async Task Auto_lets_Aspire_pick_the_host_port_and_keeps_the_container_port()
    {
        await using var builder = await FleetModel.CreateAsync("FleetInfra:Ports:postgres=auto", "FleetInfra:Ports:traefik:web=AUTO");

        var postgres = Endpoint(builder, "postgres", "tcp");
        Assert.Null(postgres.Port);
        Assert.Equal(5432, postgres.TargetPort);
        Assert.Null(Endpoint(builder, "traefik", "web").Port);
        Assert.Equal(8080, Endpoint(builder, "traefik", "dashboard").Port);
    }

    [Fact]
    public async Task An_override_moves_the_host_port_and_the_traefik_url_follows_while_the_route_keeps_the_container_address()
    {
        await using var builder = await FleetModel.CreateAsync("FleetInfra:Ports:traefik:web=18000", "FleetInfra:Ports:n8n=15678");

        var web = Endpoint(builder, "traefik", "web");
        Assert.Equal((18000, 8000), (web.Port, web.TargetPort));
        Assert.Equal((15678, 5678), (Endpoint(builder, "n8n", "http").Port, Endpoint(builder, "n8n", "http").TargetPort));

        // Traefik reaches n8n over the container network, on the port n8n listens on - not the host port.
        var routes = TraefikDynamicConfiguration.Render(builder.Resources);
        Assert.Contains("url: http://n8n:5678", routes);

        // The orchestrator allocates what each endpoint asks for; the dashboard URL of the route is built from that.
        foreach (var endpoint in builder.Resources.SelectMany(r => r.Annotations.OfType<EndpointAnnotation>()).Where(e => e.Port is not null))
        {
            endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", endpoint.Port!.Value);
        }

        var n8n = builder.Get("n8n");
        var urls = new List<ResourceUrlAnnotation>();
        var context = new ResourceUrlsCallbackContext(builder.ExecutionContext, n8n, urls, CancellationToken.None);
        foreach (var callback in n8n.Annotations.OfType<ResourceUrlsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        Assert.Contains(urls, u => u.Url == "http://n8n.localhost:18000");
        Assert.DoesNotContain(urls, u => u.Url.Contains(":8000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publishing_keeps_the_declared_ports()
    {
        await using var builder = await FleetModel.CreatePublishAsync("FleetInfra:Ports:postgres=15432", "FleetInfra:Ports:traefik:web=auto");

        Assert.Equal(5432, Endpoint(builder, "postgres", "tcp").Port);
        Assert.Equal(8000, Endpoint(builder, "traefik", "web").Port);
    }

    public static TheoryData<string, string, string> BadPorts => new()
    {
        { "FleetInfra:Ports:postgres=0", "FleetInfra:Ports:postgres", "an integer from 1 to 65535, or 'auto'" },
        { "FleetInfra:Ports:postgres=70000", "FleetInfra:Ports:postgres", "an integer from 1 to 65535, or 'auto'" },
        { "FleetInfra:Ports:postgres=abc", "FleetInfra:Ports:postgres", "an integer from 1 to 65535, or 'auto'" },
        { "FleetInfra:Ports:traefik:web=-1", "FleetInfra:Ports:traefik:web", "an integer from 1 to 65535, or 'auto'" },
        { "FleetInfra:Ports=5432", "FleetInfra:Ports", "FleetInfra:Ports:<resource>" },
        { "FleetInfra:Ports:nope=5432", "FleetInfra:Ports", "'nope'" },
        { "FleetInfra:Ports:traefik:nope=8081", "FleetInfra:Ports:traefik", "unknown endpoint 'nope' of 'traefik'. Allowed: dashboard, web" },
        { "FleetInfra:Ports:traefik=8081", "FleetInfra:Ports:traefik", "several host endpoints (dashboard, web)" },
    };

    [Theory]
    [MemberData(nameof(BadPorts))]
    public async Task A_bad_port_setting_fails_naming_the_key_and_what_is_allowed(string setting, string key, string allowedHint)
    {
        var error = await Assert.ThrowsAsync<FleetInfraConfigurationException>(() => FleetModel.CreateAsync(setting));

        Assert.Equal(key, error.Key);
        Assert.Contains($"'{key}'", error.Message);
        Assert.Contains(allowedHint, error.Message);
    }

    [Fact]
    public async Task The_unknown_name_error_lists_the_resources_that_have_host_ports()
    {
        var error = await Assert.ThrowsAsync<FleetInfraConfigurationException>(() => FleetModel.CreateAsync("FleetInfra:Ports:nope=5432"));

        Assert.Contains("postgres", error.Message);
        Assert.Contains("traefik", error.Message);
        Assert.DoesNotContain("cnpg-operator", error.Message); // cluster only: no host port
    }

    [Fact]
    public async Task Two_resources_given_the_same_port_are_reported_in_one_line_naming_both()
    {
        using var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        var port = ((IPEndPoint)free.LocalEndpoint).Port;
        free.Stop(); // free again: only the duplicate is in question

        var error = await Assert.ThrowsAsync<FleetInfraConfigurationException>(() =>
            FleetModel.CreateAsync(FixedPorts, $"FleetInfra:Ports:grafana={port}", $"FleetInfra:Ports:traefik:web={port}"));

        Assert.Equal("FleetInfra:Ports", error.Key);
        var line = Assert.Single(error.Lines, l => l.StartsWith($"Port {port} ", StringComparison.Ordinal));
        Assert.Equal($"Port {port} is given to 'traefik' (endpoint 'web') and 'grafana' (endpoint 'http'). " +
            $"Set FleetInfra:Ports:traefik:web or FleetInfra:Ports:grafana to another port or 'auto'.", line);
    }

    [Fact]
    public async Task A_port_another_program_holds_is_reported_with_the_key_to_change()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<FleetInfraConfigurationException>(() => FleetModel.CreateAsync(FixedPorts, $"FleetInfra:Ports:postgres={port}"));

        Assert.Contains($"Port {port} of 'postgres' (endpoint 'tcp') is already in use by another program. Set FleetInfra:Ports:postgres to a free port or 'auto'.", error.Lines);
    }

    [Fact]
    public void A_port_held_on_the_wildcard_address_counts_as_taken()
    {
        using var holder = new TcpListener(IPAddress.Any, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        Assert.True(HostPorts.InUse(port));
        holder.Stop();
        Assert.False(HostPorts.InUse(port));
    }

    [Fact]
    public async Task With_randomized_ports_a_proxied_fixed_port_is_never_bound_so_it_is_no_clash()
    {
        // Aspire.Hosting.Testing's default (DcpPublisher:RandomizePorts=true): DCP gives proxied endpoints random ports.
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        await using var builder = await FleetModel.CreateAsync($"FleetInfra:Ports:postgres={port}");

        Assert.Equal(port, Endpoint(builder, "postgres", "tcp").Port);
    }

    [Fact]
    public async Task Setting_one_endpoint_twice_with_different_ports_fails_naming_both_keys()
    {
        var error = await Assert.ThrowsAsync<FleetInfraConfigurationException>(() =>
            FleetModel.CreateAsync("FleetInfra:Ports:postgres=15432", "FleetInfra:Ports:postgres:tcp=15433"));

        Assert.Equal("FleetInfra:Ports:postgres:tcp", error.Key);
        Assert.Contains("already set by 'FleetInfra:Ports:postgres' to 15432", error.Message);
    }

    [Fact]
    public async Task A_persistent_containers_port_is_no_clash_when_that_container_holds_it()
    {
        // Persistent containers are proxy-less in Aspire 13.6.5: the container publishes the fixed port itself and keeps
        // it while the AppHost is down. The listener stands in for it; the runtime's answer decides.
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        await using var builder = await FleetModel.CreateAsync("FleetInfra:Lifetime=Persistent", $"FleetInfra:Ports:postgres={port}");
        var keys = HostPorts.Keys(builder.Resources);
        var asked = new List<string>();

        var ours = HostPorts.FindClashes(builder.Resources, keys, randomizePorts: false, (r, e) => { asked.Add($"{r.Name}/{e.Name}"); return true; });
        var theirs = HostPorts.FindClashes(builder.Resources, keys, randomizePorts: false, (_, _) => false);

        Assert.DoesNotContain(ours, l => l.Contains($"Port {port} ", StringComparison.Ordinal));
        Assert.Contains($"Port {port} of 'postgres' (endpoint 'tcp') is already in use by another program. Set FleetInfra:Ports:postgres to a free port or 'auto'.", theirs);
        Assert.Contains("postgres/tcp", asked);
        Assert.DoesNotContain(asked, a => a.StartsWith("traefik/", StringComparison.Ordinal)); // session containers: never asked
    }

    [Fact]
    public async Task A_session_container_on_a_taken_port_is_a_clash_without_asking_the_runtime()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        await using var builder = await FleetModel.CreateAsync($"FleetInfra:Ports:postgres={port}");

        var clashes = HostPorts.FindClashes(builder.Resources, HostPorts.Keys(builder.Resources), randomizePorts: false,
            (_, _) => throw new InvalidOperationException("the runtime must not be asked about a session container"));

        Assert.Contains(clashes, l => l.StartsWith($"Port {port} of 'postgres'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_persistent_container_is_looked_up_under_the_name_Aspire_gives_it()
    {
        await using var builder = await FleetModel.CreateAsync("FleetInfra:Lifetime=Persistent");
        var hash = builder.Configuration["AppHost:Sha256"];

        Assert.NotNull(hash);
        Assert.Equal($"postgres-{hash![..8].ToLowerInvariant()}", PersistentContainers.NameOf(builder.Get("postgres"), builder.Configuration));
    }

    private static EndpointAnnotation Endpoint(IDistributedApplicationTestingBuilder builder, string resource, string endpoint) =>
        Assert.Single(builder.Get(resource).Annotations.OfType<EndpointAnnotation>(), e => e.Name == endpoint);
}
