using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Desirable.MediaProcessor.Images;

namespace Desirable.MediaProcessor.Videos;

/// <summary>
/// A video's duration, size and a poster frame as its <c>thumb</c>, through Debian's ffprobe and ffmpeg. ffmpeg
/// applies the stream's rotation to the frame, so the poster and the recorded size are as the video is shown.
/// </summary>
public sealed class VideoPosterMaker(string ffmpegPath, string ffprobePath, ImageVariantMaker images)
{
    public async Task<ProcessedMedia> MakeAsync(
        string path, string workDirectory, TimeSpan maxDuration, long maxPixels, int thumbWidth, CancellationToken cancellationToken)
    {
        var duration = await ProbeDurationAsync(path, cancellationToken);
        if (duration > maxDuration)
        {
            throw new ProcessingRefusedException(
                $"The video is {duration:hh\\:mm\\:ss} long; at most {maxDuration:hh\\:mm\\:ss} is processed.");
        }

        // A frame a little way in avoids black openings; short clips take their middle.
        var at = TimeSpan.FromSeconds(Math.Min(1.0, duration.TotalSeconds / 2));
        var poster = Path.Combine(workDirectory, "poster.png");
        var result = await RunAsync(ffmpegPath,
        [
            "-v", "error", "-nostdin", "-y",
            "-ss", at.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
            "-i", path,
            "-frames:v", "1", "-f", "image2", "-c:v", "png", poster,
        ], cancellationToken);
        if (result.ExitCode != 0 || !File.Exists(poster))
        {
            throw new ProcessingRefusedException($"No frame could be read from the video: {FirstLine(result.StandardError)}");
        }

        var frame = images.Make(poster, maxPixels, [(Media.Model.MediaVariantName.Thumb, thumbWidth)], cancellationToken);
        return frame with { DurationSeconds = Math.Round(duration.TotalSeconds, 3) };
    }

    private async Task<TimeSpan> ProbeDurationAsync(string path, CancellationToken cancellationToken)
    {
        var result = await RunAsync(ffprobePath,
        [
            "-v", "error", "-print_format", "json",
            "-show_entries", "format=duration:stream=codec_type",
            path,
        ], cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new ProcessingRefusedException($"The video cannot be read: {FirstLine(result.StandardError)}");
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

    private static async Task<ExternalProcess.Result> RunAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await ExternalProcess.RunAsync(tool, arguments, cancellationToken);
        }
        catch (Win32Exception e)
        {
            throw new ProcessingRefusedException(
                $"Videos cannot be processed here: {Path.GetFileName(tool)} is not installed on the processing host.", e);
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', 2, StringSplitOptions.TrimEntries)[0] is { Length: > 0 } line ? line : "no message";
}
