using System.ComponentModel;
using Microsoft.Extensions.Options;

namespace Desirable.MediaProcessor.Videos;

/// <summary>
/// Whether ffmpeg and ffprobe run, found out once per process: installed tools do not come and go while the
/// service runs, and the health check asks every few seconds.
/// </summary>
public sealed class FfmpegAvailability(IOptions<ProcessingOptions> options)
{
    private readonly Lazy<Task<string?>> _problem = new(() => FindProblemAsync(options.Value));

    /// <summary>Null when both tools answer; otherwise what is wrong, written for the service's operator.</summary>
    public Task<string?> ProblemAsync() => _problem.Value;

    private static async Task<string?> FindProblemAsync(ProcessingOptions options)
    {
        var tools = FfmpegTools.From(options);
        foreach (var tool in new[] { tools.FfmpegPath, tools.FfprobePath })
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                var result = await tools.RunAsync(tool, ["-version"], timeout.Token);
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
