using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FleetInfra.Hosting.Components.LocalStack;

/// <summary>
/// Healthy once LocalStack reports its ready.d init scripts completed (<c>/_localstack/init/ready</c>),
/// so dependents never see a bucket or secret that does not exist yet.
/// </summary>
internal sealed class LocalStackInitHealthCheck(LocalStackResource localStack, IHttpClientFactory httpClientFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = httpClientFactory.CreateClient();
            var url = new Uri(new Uri(localStack.HttpEndpoint.Url), "/_localstack/init/ready");
            using var document = JsonDocument.Parse(await client.GetStringAsync(url, cancellationToken).ConfigureAwait(false));
            var completed = document.RootElement.TryGetProperty("completed", out var value) && value.ValueKind == JsonValueKind.True;
            return completed
                ? HealthCheckResult.Healthy("init scripts completed")
                : HealthCheckResult.Unhealthy("init scripts still running");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy("LocalStack init endpoint not answering", ex);
        }
    }
}
