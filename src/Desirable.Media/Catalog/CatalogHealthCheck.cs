using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Desirable.Media.Catalog;

/// <summary>The catalog answers a cheap read.</summary>
internal sealed class CatalogHealthCheck(IMediaCatalog catalog) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await catalog.FindAsync(Guid.Empty, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The media catalog does not answer.", e);
        }
    }
}
