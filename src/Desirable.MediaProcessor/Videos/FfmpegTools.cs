namespace Desirable.MediaProcessor.Videos;

/// <summary>
/// ffmpeg and ffprobe as the processor runs them: installed on the host (Debian's packages on a laptop), or in the
/// deployed image a bundle of Debian's with its own libraries and loader, run through that loader so nothing of the
/// image's own system libraries is used.
/// </summary>
public sealed record FfmpegTools(string FfmpegPath, string FfprobePath, string? LibraryPath)
{
    /// <summary>The dynamic loader a bundle carries in its library directory.</summary>
    public const string Loader = Desirable.Contracts.FfmpegBundleLayout.Loader;

    public static FfmpegTools From(ProcessingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.FfmpegPath, options.FfprobePath, string.IsNullOrWhiteSpace(options.FfmpegLibraryPath) ? null : options.FfmpegLibraryPath);
    }

    /// <summary>What to start for <paramref name="tool"/> with <paramref name="arguments"/>.</summary>
    public (string FileName, IReadOnlyList<string> Arguments) Command(string tool, IEnumerable<string> arguments) =>
        LibraryPath is null
            ? (tool, [.. arguments])
            : (Path.Combine(LibraryPath, Loader), ["--library-path", LibraryPath, tool, .. arguments]);

    /// <exception cref="System.ComponentModel.Win32Exception">The tool (or the bundle's loader) does not exist.</exception>
    internal Task<ExternalProcess.Result> RunAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var (fileName, command) = Command(tool, arguments);
        return ExternalProcess.RunAsync(fileName, command, cancellationToken);
    }
}
