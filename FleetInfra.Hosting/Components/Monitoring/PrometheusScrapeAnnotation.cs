namespace FleetInfra.Hosting.Components.Monitoring;

/// <summary>Asks Prometheus to scrape <paramref name="Path"/> on an endpoint of the resource.</summary>
/// <param name="EndpointName">The endpoint serving metrics.</param>
/// <param name="Path">The metrics path.</param>
public sealed record PrometheusScrapeAnnotation(string EndpointName, string Path) : IResourceAnnotation;

/// <summary>Builder extensions that declare metrics endpoints.</summary>
public static class PrometheusScrapeExtensions
{
    /// <summary>Declares that the resource serves Prometheus metrics on <paramref name="endpointName"/> at <paramref name="path"/>.</summary>
    public static IResourceBuilder<T> WithPrometheusScrape<T>(this IResourceBuilder<T> builder, string endpointName, string path = "/metrics")
        where T : IResourceWithEndpoints =>
        builder.WithAnnotation(new PrometheusScrapeAnnotation(endpointName, path));
}
