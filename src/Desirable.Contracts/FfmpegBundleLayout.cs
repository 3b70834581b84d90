namespace Desirable.Contracts;

/// <summary>
/// Where the processor's image carries Debian's ffmpeg: the deployment lays the bundle out (<c>bin/</c>, <c>lib/</c> with the
/// loader), the Api stack points the processor at it, the processor runs the tools through the loader.
/// </summary>
public static class FfmpegBundleLayout
{
    /// <summary>The bundle's folder in the image (the app is in /app; the bundle's files go to ffmpeg/).</summary>
    public const string ImageDirectory = "/app/ffmpeg";

    /// <summary>Debian's dynamic loader, kept in the bundle's <c>lib/</c>.</summary>
    public const string Loader = "ld-linux-x86-64.so.2";
}
