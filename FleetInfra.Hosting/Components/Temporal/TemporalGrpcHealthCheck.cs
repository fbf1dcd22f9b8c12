using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FleetInfra.Hosting.Components.Temporal;

/// <summary>
/// Asks the Temporal frontend's standard gRPC health service whether the WorkflowService is serving -
/// the same probe Kubernetes runs in the cluster.
/// </summary>
internal sealed class TemporalGrpcHealthCheck(TemporalServerResource server) : IHealthCheck
{
    private const string WorkflowService = "temporal.api.workflowservice.v1.WorkflowService";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var channel = GrpcChannel.ForAddress($"http://{server.GrpcEndpoint.Host}:{server.GrpcEndpoint.Port}");
            var response = await new Health.HealthClient(channel)
                .CheckAsync(new HealthCheckRequest { Service = WorkflowService }, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving
                ? HealthCheckResult.Healthy($"{WorkflowService} serving")
                : HealthCheckResult.Unhealthy($"{WorkflowService} {response.Status}");
        }
        catch (Exception ex) when (ex is Grpc.Core.RpcException or HttpRequestException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("Temporal frontend not answering", ex);
        }
    }
}
