using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Desirable.MediaProcessor.Images;

namespace Desirable.MediaProcessor.Videos;

/// <summary>
/// A video's duration, size and a poster frame as its <c>thumb</c>, through Debian's ffprobe and ffmpeg. ffmpeg
/// applies the stream's rotation to the frame, so the poster and the recorded size are as the video is shown.
/// </summary>
/// <remarks>
/// The file is a stranger's. Left to itself, ffmpeg picks the demuxer from the bytes, and a file the upload accepted
/// as QuickTime can read as a DASH or HLS playlist whose demuxer opens the URLs it names. So the demuxer is the one
/// the sniffed type says, only the <c>file</c> protocol is allowed and only on the job's own file, and probing is
/// bounded. The tools' messages go to the log; the owner reads a plain reason.
/// </remarks>
public sealed class VideoPosterMaker(FfmpegTools tools, ImageVariantMaker images, DecodeBudget budget, ILogger<VideoPosterMaker> logger)
{
    /// <summary>What ffprobe may read to find the streams (bytes), and how much of the video (microseconds).</summary>
    private const string ProbeSize = "20000000";

    private const string AnalyzeDuration = "10000000";

    public async Task<ProcessedMedia> MakeAsync(
        string path, string contentType, string workDirectory, TimeSpan maxDuration, long maxPixels, int thumbWidth, CancellationToken cancellationToken)
    {
        var input = Input(path, contentType);
        var duration = await ProbeDurationAsync(input, cancellationToken);
        if (duration > maxDuration)
        {
            throw new ProcessingRefusedException(
                $"The video is {duration:hh\\:mm\\:ss} long; at most {maxDuration:hh\\:mm\\:ss} is processed.");
        }

        // A frame a little way in avoids black openings; short clips take their middle.
        var at = TimeSpan.FromSeconds(Math.Min(1.0, duration.TotalSeconds / 2));
        var poster = Path.Combine(workDirectory, "poster.png");
        var result = await RunAsync(tools.FfmpegPath,
        [
            "-v", "error", "-nostdin", "-y",
            "-ss", at.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            .. input,
            "-frames:v", "1", "-f", "image2", "-c:v", "png", $"file:{poster}",
        ], cancellationToken);
        if (result.ExitCode != 0 || !File.Exists(poster))
        {
            logger.LogWarning("ffmpeg found no frame in {Path} ({ExitCode}): {Output}", path, result.ExitCode, result.StandardError);
            throw new ProcessingRefusedException("No frame could be read from the video.");
        }

        (string, int)[] targets = [(Media.Model.MediaVariantName.Thumb, thumbWidth)];
        var frame = await budget.RunAsync(ImageVariantMaker.EstimateBytes(poster, maxPixels, targets),
            () => images.Make(poster, maxPixels, targets, cancellationToken), cancellationToken);
        return frame with { DurationSeconds = Math.Round(duration.TotalSeconds, 3) };
    }

    /// <summary>The input options and the input itself: the demuxer of the sniffed type, the job's file alone.</summary>
    private static string[] Input(string path, string contentType)
    {
        var demuxer = contentType switch
        {
            "video/mp4" or "video/quicktime" => "mov",
            "video/webm" => "matroska",
            _ => throw new ProcessingRefusedException($"Videos of type {contentType} are not processed."),
        };
        return ["-protocol_whitelist", "file", "-probesize", ProbeSize, "-analyzeduration", AnalyzeDuration, "-f", demuxer, "-i", $"file:{path}"];
    }

    private async Task<TimeSpan> ProbeDurationAsync(string[] input, CancellationToken cancellationToken)
    {
        var result = await RunAsync(tools.FfprobePath,
        [
            "-v", "error", "-print_format", "json",
            "-show_entries", "format=duration:stream=codec_type",
            .. input,
        ], cancellationToken);
        if (result.ExitCode != 0)
        {
            logger.LogWarning("ffprobe could not read {Input} ({ExitCode}): {Output}", input[^1], result.ExitCode, result.StandardError);
            throw new ProcessingRefusedException("The video cannot be read: it is damaged, or not the kind of video its first bytes claim.");
        }

        using var json = JsonDocument.Parse(result.StandardOutput);
        var hasVideo = json.RootElement.TryGetProperty("streams", out var streams) &&
            streams.EnumerateArray().Any(s => s.TryGetProperty("codec_type", out var type) && type.GetString() == "video");
        if (!hasVideo)
        {
            throw new ProcessingRefusedException("The file has no video stream.");
        }

        if (!json.RootElement.TryGetProperty("format", out var format) ||
            !format.TryGetProperty("duration", out var durationText) ||
            !double.TryParse(durationText.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ||
            seconds < 0)
        {
            throw new ProcessingRefusedException("The video's duration cannot be read.");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private async Task<ExternalProcess.Result> RunAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await tools.RunAsync(tool, arguments, cancellationToken);
        }
        catch (Win32Exception e)
        {
            throw new ProcessingRefusedException(
                $"Videos cannot be processed here: {Path.GetFileName(tool)} is not installed on the processing host.", e);
        }
    }
}
