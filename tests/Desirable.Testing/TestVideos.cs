using System.ComponentModel;
using System.Diagnostics;

namespace Desirable.Testing;

/// <summary>Videos made in the tests with ffmpeg's test source (nothing binary is committed).</summary>
public static class TestVideos
{
    /// <summary>An MP4 of the test pattern, or null when ffmpeg is not installed.</summary>
    public static async Task<byte[]?> TryMakeMp4Async(int width, int height, int seconds)
    {
        var path = Path.Combine(Path.GetTempPath(), $"desirable-video-{Guid.NewGuid():N}.mp4");
        try
        {
            using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg",
            [
                "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", $"testsrc=duration={seconds}:size={width}x{height}:rate=25",
                "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", path,
            ])
            { RedirectStandardError = true, RedirectStandardOutput = true });
            if (ffmpeg is null)
            {
                return null;
            }

            await ffmpeg.WaitForExitAsync();
            return ffmpeg.ExitCode == 0 ? await File.ReadAllBytesAsync(path) : null;
        }
        catch (Win32Exception)
        {
            return null;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Just an MP4 file-type box: accepted as video by the upload sniffer, enough to reach the processor.</summary>
    public static byte[] Mp4Header() =>
        [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m', 0, 0, 2, 0,
         (byte)'i', (byte)'s', (byte)'o', (byte)'m', (byte)'m', (byte)'p', (byte)'4', (byte)'1', .. new byte[64]];
}
