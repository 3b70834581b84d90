using System.ComponentModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Desirable.MediaService.Processing.Videos;

/// <summary>
/// Whether ffmpeg and ffprobe run. Without them images still work, so the service is Degraded, not Unhealthy, and
/// says why; video jobs fail with the same reason.
/// </summary>
internal sealed class FfmpegHealthCheck(IOptions<ProcessingOptions> options) : IHealthCheck
{
    private Task<string?>? _problem;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Installed tools do not come and go while the service runs: look once.
        var problem = await (_problem ??= FindProblemAsync(options.Value));
        return problem is null
            ? HealthCheckResult.Healthy("ffmpeg and ffprobe are available.")
            : HealthCheckResult.Degraded(problem);
    }

    public static async Task<string?> FindProblemAsync(ProcessingOptions options)
    {
        foreach (var tool in new[] { options.FfmpegPath, options.FfprobePath })
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                var result = await ExternalProcess.RunAsync(tool, ["-version"], timeout.Token);
                if (result.ExitCode != 0)
                {
                    return $"{tool} -version failed ({result.ExitCode}); video jobs will fail.";
                }
            }
            catch (Win32Exception)
            {
                return $"{tool} is not installed (Debian: apt-get install ffmpeg); video jobs will fail.";
            }
            catch (OperationCanceledException)
            {
                return $"{tool} -version did not answer; video jobs will fail.";
            }
        }

        return null;
    }
}
