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
            // "completed" only says the READY stage ran; a script that failed is reported per script and does
            // not stop the stage, so the scripts' own states decide.
            var completed = document.RootElement.TryGetProperty("completed", out var value) && value.ValueKind == JsonValueKind.True;
            var scripts = document.RootElement.TryGetProperty("scripts", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(x => (Name: Text(x, "name"), State: Text(x, "state"))).ToList()
                : [];
            var failed = scripts.Where(x => x.State == "ERROR").Select(x => x.Name).ToList();
            return failed.Count > 0 ? HealthCheckResult.Unhealthy($"init script(s) failed: {string.Join(", ", failed)}")
                : completed && scripts.All(x => x.State == "SUCCESSFUL") ? HealthCheckResult.Healthy("init scripts completed")
                : HealthCheckResult.Unhealthy("init scripts still running");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy("LocalStack init endpoint not answering", ex);
        }
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) ? value.GetString() : null;
}
