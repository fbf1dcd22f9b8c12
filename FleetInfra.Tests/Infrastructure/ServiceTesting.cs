using FleetInfra.Hosting.Waves;

namespace FleetInfra.Tests.Infrastructure;

/// <summary>
/// Tests a service against the stack with only what it needs: <see cref="CreateForServiceAsync{TEntryPoint}"/> builds the
/// AppHost's testing builder with every component the service does not transitively reference or wait for left out
/// through <c>FleetInfra:Exclude</c> (so waits on what is left out are dropped exactly as that setting drops them, and
/// it runs where Traefik or LocalStack cannot), and <see cref="StartServiceAsync"/> starts it, waits until the service
/// is healthy and hands back its <see cref="HttpClient"/>.
/// </summary>
/// <example>
/// <code>
/// await using var builder = await ServiceTesting.CreateForServiceAsync&lt;Projects.FleetInfra_AppHost&gt;("sample-api", args, ct);
/// await using var service = await builder.StartServiceAsync("sample-api", ct);
/// var response = await service.Client.PostAsync("/roundtrip", null, ct);
/// </code>
/// </example>
public static class ServiceTesting
{
    private const string ExcludeKey = "FleetInfra:Exclude";

    /// <summary>
    /// The testing builder of <typeparamref name="TEntryPoint"/> with <paramref name="service"/> and its transitive
    /// references, waits and parents only. Exclusions already in <paramref name="args"/> (<c>FleetInfra:Exclude=…</c>) stay.
    /// </summary>
    public static async Task<IDistributedApplicationTestingBuilder> CreateForServiceAsync<TEntryPoint>(string service, string[] args, CancellationToken cancellationToken)
        where TEntryPoint : class
    {
        HashSet<string> others;
        await using (var model = await DistributedApplicationTestingBuilder.CreateAsync<TEntryPoint>(args, cancellationToken))
        {
            var target = model.Resources.SingleOrDefault(r => r.Name == service)
                ?? throw new ArgumentException($"The model has no resource '{service}'. Allowed: {string.Join(", ", FleetComponents.Of(model.Resources).Select(r => r.Name))}.", nameof(service));
            var needed = Needs(target);
            others = FleetComponents.WithChildren(model.Resources).Select(r => r.Name).Where(n => !needed.Contains(n)).ToHashSet(StringComparer.Ordinal);
        }

        var given = args.Where(a => a.StartsWith($"{ExcludeKey}=", StringComparison.OrdinalIgnoreCase)).SelectMany(a => a[(ExcludeKey.Length + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return await DistributedApplicationTestingBuilder.CreateAsync<TEntryPoint>(
            [.. args, $"{ExcludeKey}={string.Join(',', others.Concat(given).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))}"], cancellationToken);
    }

    /// <summary>
    /// Builds and starts the app, waits until <paramref name="service"/> is healthy and returns its HTTP client (endpoint
    /// <c>http</c>). When the service's wave fails first, the app is stopped and <see cref="ServiceNotReadyException"/> says
    /// why, with the service's last <c>/health</c> report (ServiceDefaults).
    /// </summary>
    public static async Task<ServiceUnderTest> StartServiceAsync(this IDistributedApplicationTestingBuilder builder, string service, CancellationToken cancellationToken)
    {
        var wave = builder.Resources.Single(r => r.Name == service).GetWave()
            ?? throw new ArgumentException($"'{service}' is in no wave. Fix: add .InWave(<wave>) to it.", nameof(service));
        var app = await builder.BuildAsync(cancellationToken);
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var start = app.StartAsync(stop.Token);
            var healthy = app.ResourceNotifications.WaitForResourceHealthyAsync(service, WaitBehavior.StopOnResourceUnavailable, stop.Token);
            var failed = app.ResourceNotifications.WaitForResourceAsync(wave.Name, e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart, stop.Token);
            if (await Task.WhenAny(healthy, failed) == failed)
            {
                var properties = (await failed).Snapshot.Properties;
                string Property(string name) => properties.FirstOrDefault(p => p.Name == name)?.Value?.ToString() ?? "";
                var health = await HealthAsync(app, service, cancellationToken);
                throw new ServiceNotReadyException(service,
                    $"'{service}' did not become ready: wave '{wave.Name}' failed ({Property(WaveResource.FailureProperty)}; not ready: {Property(WaveResource.NotReadyProperty)}). Its /health: {health}", health);
            }

            await healthy;
            await start;
            return new ServiceUnderTest(app, app.CreateHttpClient(service, "http"));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    // The service, what it references or waits for, their parents - transitively; waves are not components.
    private static HashSet<string> Needs(IResource service)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var next = new Stack<IResource>([service]);
        while (next.TryPop(out var resource))
        {
            if (resource is WaveResource || !needed.Add(resource.Name))
            {
                continue;
            }

            foreach (var wait in resource.Annotations.OfType<WaitAnnotation>())
            {
                next.Push(wait.Resource);
            }

            foreach (var reference in resource.Annotations.OfType<ResourceRelationshipAnnotation>().Where(r => r.Type == "Reference"))
            {
                next.Push(reference.Resource);
            }

            if (resource is IResourceWithParent { Parent: var parent })
            {
                next.Push(parent);
            }
        }

        return needed;
    }

    private static async Task<string> HealthAsync(DistributedApplication app, string service, CancellationToken cancellationToken)
    {
        try
        {
            using var client = app.CreateHttpClient(service, "http");
            // 503 with the report when a check fails: the body is what matters.
            using var response = await client.GetAsync(FleetInfra.Hosting.Components.Projects.ServiceProjects.ReadinessPath, cancellationToken).ConfigureAwait(false);
            return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return $"(no answer: {e.Message})";
        }
    }
}

/// <summary>A started service: the app (dispose it to stop everything) and the service's HTTP client.</summary>
/// <param name="App">The running app.</param>
/// <param name="Client">The service's client on its <c>http</c> endpoint.</param>
public sealed record ServiceUnderTest(DistributedApplication App, HttpClient Client) : IAsyncDisposable
{
    /// <summary>Stops the app.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}

/// <summary>The service's wave failed before the service was healthy.</summary>
/// <param name="service">The service.</param>
/// <param name="message">Why, naming the wave and its members that were not ready.</param>
/// <param name="health">The service's last <c>/health</c> report.</param>
public sealed class ServiceNotReadyException(string service, string message, string health) : Exception(message)
{
    /// <summary>The service.</summary>
    public string Service { get; } = service;

    /// <summary>The service's last <c>/health</c> report (JSON from ServiceDefaults).</summary>
    public string Health { get; } = health;
}
