using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Desirable.MediaProcessor.Videos;

/// <summary>
/// Without ffmpeg images still work, so the service is Degraded, not Unhealthy, and says why; video jobs fail with
/// the same reason.
/// </summary>
internal sealed class FfmpegHealthCheck(FfmpegAvailability ffmpeg) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await ffmpeg.ProblemAsync() is { } problem
            ? HealthCheckResult.Degraded(problem)
            : HealthCheckResult.Healthy("ffmpeg and ffprobe are available.");
}
