using System.ComponentModel;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FleetInfra.Hosting.Probes;

/// <summary>
/// The local form of a <see cref="GrpcProbeAnnotation"/>: asks the endpoint's standard gRPC health service for the
/// probe's service - the request Kubernetes' gRPC probe makes in the cluster.
/// </summary>
[Description("gRPC health service (`grpc.health.v1`) reports the probe's service SERVING")]
internal sealed class GrpcHealthCheck(GrpcProbeAnnotation probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var service = probe.Service ?? "";
        var what = probe.Service ?? "server";
        try
        {
            var endpoint = probe.EndpointReference;
            using var channel = GrpcChannel.ForAddress($"http://{endpoint.Host}:{endpoint.Port}");
            var response = await new Health.HealthClient(channel)
                .CheckAsync(new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow.AddSeconds(probe.TimeoutSeconds), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving
                ? HealthCheckResult.Healthy($"{what} serving")
                : HealthCheckResult.Unhealthy($"{what} {response.Status}");
        }
        catch (Exception ex) when (ex is Grpc.Core.RpcException or HttpRequestException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"{probe.EndpointReference.Resource.Name}'s gRPC endpoint '{probe.EndpointReference.EndpointName}' not answering", ex);
        }
    }
}
