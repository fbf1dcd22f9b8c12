namespace FleetInfra.Hosting.Publishing.Workloads;

/// <summary>
/// Which ports of which components each component connects to, read from the model's values (its environment and
/// arguments: endpoint references, connection strings; and what it declares with <see cref="ConnectsToAnnotation"/>): the network policies admit each source on those ports only.
/// </summary>
internal static class ClusterReferences
{
    /// <summary>The ports, by source and target component name (a database's port counts for its server).</summary>
    public static async Task<IReadOnlyDictionary<(string Source, string Target), SortedSet<int>>> CollectAsync(FluxBuildContext context)
    {
        var ports = new Dictionary<(string Source, string Target), SortedSet<int>>();
        foreach (var source in FluxPublisher.Components(context.Model))
        {
            foreach (var value in await ValuesAsync(context, source).ConfigureAwait(false))
            {
                foreach (var (target, port) in ClusterValues.Endpoints(value).Where(e => e.Target != source))
                {
                    if (!ports.TryGetValue((source.Name, target.Name), out var set))
                    {
                        ports[(source.Name, target.Name)] = set = [];
                    }

                    set.Add(port);
                }
            }
        }

        return ports;
    }

    private static async Task<List<object>> ValuesAsync(FluxBuildContext context, IResource resource)
    {
        var environment = new Dictionary<string, object>();
        var environmentContext = new EnvironmentCallbackContext(context.ExecutionContext, resource, environment, context.CancellationToken);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(environmentContext).ConfigureAwait(false);
        }

        var arguments = new List<object>();
        var argumentsContext = new CommandLineArgsCallbackContext(arguments, resource, context.CancellationToken);
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(argumentsContext).ConfigureAwait(false);
        }

        return [.. environment.Values, .. arguments, .. resource.Annotations.OfType<ConnectsToAnnotation>().Select(c => c.Endpoint)];
    }
}
