using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;

namespace Desirable.Media.Storage;

/// <summary>The media bucket exists and answers.</summary>
internal sealed class StorageHealthCheck(MediaStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // The AppHost probes every few seconds; its S3 calls would bury real traffic in the dashboard's traces.
        using var quiet = SuppressInstrumentationScope.Begin();
        try
        {
            return await storage.IsReachableAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : new HealthCheckResult(context.Registration.FailureStatus, "The media bucket does not exist.");
        }
        catch (Exception e)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The media bucket does not answer.", e);
        }
    }
}
