using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Desirable.MediaService.Storage;

/// <summary>The media bucket exists and answers.</summary>
internal sealed class StorageHealthCheck(MediaStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
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
