using Desirable.Media.Model;
using Desirable.MediaService.Uploads;

namespace Desirable.MediaService.Tests.Uploads;

public class ContentSnifferTests
{
    public static TheoryData<string, byte[], string, MediaKind> RecognisedFormats => new()
    {
        { "jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F'], "image/jpeg", MediaKind.Image },
        { "png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "image/png", MediaKind.Image },
        { "gif87a", "GIF87a\x01\x00\x01\x00"u8.ToArray(), "image/gif", MediaKind.Image },
        { "gif89a", "GIF89a\x01\x00\x01\x00"u8.ToArray(), "image/gif", MediaKind.Image },
        { "webp", "RIFF\x24\x00\x00\x00WEBPVP8 "u8.ToArray(), "image/webp", MediaKind.Image },
        { "mp4 isom", [0, 0, 0, 0x20, .. "ftypisom"u8, 0, 0, 2, 0], "video/mp4", MediaKind.Video },
        { "mp4 mp42", [0, 0, 0, 0x18, .. "ftypmp42"u8, 0, 0, 0, 0], "video/mp4", MediaKind.Video },
        { "quicktime ftyp", [0, 0, 0, 0x14, .. "ftypqt  "u8, 0, 0, 2, 0], "video/quicktime", MediaKind.Video },
        { "quicktime moov", [0, 0, 0, 0x6C, .. "moov"u8, 0, 0, 0, 0x6C], "video/quicktime", MediaKind.Video },
        { "webm", [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84, .. "webm"u8, 0x42, 0x87], "video/webm", MediaKind.Video },
    };

    [Theory]
    [MemberData(nameof(RecognisedFormats))]
    public void RecognisesSupportedFormatsFromTheirFirstBytes(string format, byte[] header, string contentType, MediaKind kind)
    {
        var sniffed = ContentSniffer.Sniff(header);

        Assert.NotNull(sniffed);
        Assert.Equal(contentType, sniffed.ContentType);
        Assert.Equal(kind, sniffed.Kind);
        Assert.False(string.IsNullOrEmpty(format));
    }

    public static TheoryData<string, byte[]> RejectedContent => new()
    {
        { "ELF executable", [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0] },
        { "Windows executable", [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0] },
        { "PDF", "%PDF-1.7\n%\xE2\xE3"u8.ToArray() },
        { "HTML", "<!DOCTYPE html><html>"u8.ToArray() },
        { "SVG", "<svg xmlns=\"http://www.w3.org/2000/svg\">"u8.ToArray() },
        { "ZIP", [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 0, 0] },
        { "Matroska that is not WebM", [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x82, 0x88, .. "matroska"u8] },
        { "RIFF that is not WebP", "RIFF\x24\x00\x00\x00WAVEfmt "u8.ToArray() },
        { "ftyp of an unknown brand", [0, 0, 0, 0x18, .. "ftypheic"u8, 0, 0, 0, 0] },
        { "truncated JPEG marker", [0xFF, 0xD8] },
        { "empty", [] },
    };

    [Theory]
    [MemberData(nameof(RejectedContent))]
    public void RejectsEverythingElse(string what, byte[] header)
    {
        Assert.True(ContentSniffer.Sniff(header) is null, $"{what} must not be recognised as media");
    }

    [Fact]
    public void HeaderLengthCoversEveryFormatsSignature()
    {
        // The WebM doc type sits after the EBML header; 64 bytes leave room for the usual element order.
        Assert.True(ContentSniffer.HeaderLength >= 40);
    }
}
