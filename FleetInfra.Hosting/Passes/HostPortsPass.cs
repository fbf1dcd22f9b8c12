using FleetInfra.Hosting.Configuration;
using FleetInfra.Hosting.Runtime;
using Microsoft.Extensions.Configuration;

namespace FleetInfra.Hosting.Passes;

/// <summary>
/// <c>FleetInfra:Ports:*</c> in a local run: sets the host ports, then finds the ones that cannot be bound before anything
/// starts - a clash would otherwise leave its component "Running (Unhealthy)" until its wave times out, with nothing naming
/// the port (see <see cref="HostPorts.FindClashes"/>). Like wave timeouts, host ports are a local matter: publishing and
/// the generated documents keep the declared ones. The overrides and keys are resolved against the declared model
/// (<see cref="Resolve"/>, before the exclusions), so the advice stays the same whatever is left out.
/// </summary>
internal sealed class HostPortsPass : IModelPass
{
    private IReadOnlyDictionary<EndpointAnnotation, string> _keys = new Dictionary<EndpointAnnotation, string>();
    private List<HostPorts.Resolved> _ports = [];

    /// <summary>Resolves the port overrides and the key of every endpoint against the model as declared.</summary>
    public HostPortsPass Resolve(ModelPassContext context)
    {
        _keys = HostPorts.Keys(context.App.Resources);
        _ports = HostPorts.Resolve(context.App.Resources, context.Settings.Ports);
        return this;
    }

    public void Apply(ModelPassContext context)
    {
        if (!context.IsRunMode)
        {
            return;
        }

        HostPorts.Apply(_ports);
        var app = context.App;
        var randomize = app.Configuration.GetValue("DcpPublisher:RandomizePorts", false);
        var runtime = ContainerRuntimeCheck.RuntimeName(app.Configuration);
        var clashes = HostPorts.FindClashes(app.Resources, _keys, randomize,
            (resource, endpoint) => PersistentContainers.Publishes(runtime, PersistentContainers.NameOf(resource, app.Configuration), endpoint.Port!.Value));
        if (clashes.Count > 0)
        {
            throw new FleetInfraConfigurationException(HostPorts.Key,
                $"{clashes.Count} host port clash(es); the local run cannot start:", clashes);
        }
    }
}
