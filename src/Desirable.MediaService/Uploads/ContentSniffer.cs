using System.Text;
using Desirable.Media.Model;

namespace Desirable.MediaService.Uploads;

/// <summary>A content type recognised from a file's own bytes.</summary>
public sealed record SniffedType(string ContentType, MediaKind Kind);

/// <summary>
/// Recognises media formats from their first bytes (magic numbers and container headers). The client's
/// Content-Type and file name are never consulted: a renamed executable stays an executable.
/// </summary>
public static class ContentSniffer
{
    /// <summary>How many leading bytes <see cref="Sniff"/> needs to tell every supported format apart.</summary>
    public const int HeaderLength = 64;

    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Ebml = [0x1A, 0x45, 0xDF, 0xA3];
    private static readonly byte[] WebmDocType = [0x42, 0x82, 0x84, (byte)'w', (byte)'e', (byte)'b', (byte)'m'];

    // Major brands of ISO base media files: QuickTime declares "qt  ", everything else here is MP4 family.
    private static readonly string[] Mp4Brands =
        ["isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "dash", "M4V ", "M4VH", "M4VP", "MSNV", "3gp4", "3gp5", "3g2a"];

    // Top-level atoms that open older QuickTime files that have no ftyp box.
    private static readonly string[] QuickTimeAtoms = ["moov", "mdat", "wide", "free", "skip", "pnot"];

    /// <summary>Returns the recognised type, or null when the bytes are not a supported media format.</summary>
    public static SniffedType? Sniff(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith(Jpeg))
        {
            return new("image/jpeg", MediaKind.Image);
        }

        if (header.StartsWith(Png))
        {
            return new("image/png", MediaKind.Image);
        }

        if (header.StartsWith("GIF87a"u8) || header.StartsWith("GIF89a"u8))
        {
            return new("image/gif", MediaKind.Image);
        }

        if (header.Length >= 12 && header.StartsWith("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8))
        {
            return new("image/webp", MediaKind.Image);
        }

        if (header.StartsWith(Ebml) && header.IndexOf(WebmDocType) >= 0)
        {
            return new("video/webm", MediaKind.Video);
        }

        return SniffIsoBaseMedia(header);
    }

    private static SniffedType? SniffIsoBaseMedia(ReadOnlySpan<byte> header)
    {
        if (header.Length < 12)
        {
            return null;
        }

        var boxType = Encoding.ASCII.GetString(header[4..8]);
        if (boxType == "ftyp")
        {
            var brand = Encoding.ASCII.GetString(header[8..12]);
            if (brand == "qt  ")
            {
                return new("video/quicktime", MediaKind.Video);
            }

            return Mp4Brands.Contains(brand, StringComparer.Ordinal) ? new("video/mp4", MediaKind.Video) : null;
        }

        return QuickTimeAtoms.Contains(boxType, StringComparer.Ordinal) ? new("video/quicktime", MediaKind.Video) : null;
    }
}
