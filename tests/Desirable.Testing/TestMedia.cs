using System.Net;
using System.Net.Http.Headers;

namespace Desirable.Testing;

/// <summary>Payloads and multipart bodies for upload tests, made in memory; no binaries live in the repository.</summary>
public static class TestMedia
{
    /// <summary>
    /// The start of a 1×1 baseline JPEG: header, tables and frame, its scan cut short. The upload sniffer takes it as
    /// a JPEG; a decoder finds it truncated. For tests of the API; <see cref="TestImages.Jpeg"/> makes decodable ones.
    /// </summary>
    public static byte[] TinyJpeg { get; } = Convert.FromBase64String(
        "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=");

    /// <summary>JPEG magic followed by <paramref name="size"/> deterministic pseudo-random bytes in all.</summary>
    public static byte[] JpegLike(int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        bytes[3] = 0xE0;
        return bytes;
    }

    /// <summary>The start of an ELF executable, as if someone renamed /bin/ls to photo.jpg.</summary>
    public static byte[] Executable { get; } = [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, .. new byte[4088]];

    public static MultipartFormDataContent Form(params (string FileName, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (fileName, content) in files)
        {
            var part = new ByteArrayContent(content);
            // A client's claim, deliberately wrong for the executable: the server must not believe it.
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(part, "file", fileName);
        }

        return form;
    }

    /// <summary>
    /// An upload the API must refuse, and the status it must refuse it with. <paramref name="oversizeBytes"/> is the
    /// file size used for "over the limit", so each suite picks which limit (service or gateway) it crosses.
    /// </summary>
    public static (HttpContent Body, HttpStatusCode Expected) BadUpload(string kind, long oversizeBytes) => kind switch
    {
        "empty file" => (Form(("empty.jpg", [])), HttpStatusCode.BadRequest),
        "renamed executable" => (Form(("photo.jpg", Executable)), HttpStatusCode.UnsupportedMediaType),
        "over the limit" => (Form(("huge.jpg", JpegLike(checked((int)oversizeBytes)))), HttpStatusCode.RequestEntityTooLarge),
        "no file part" => (new MultipartFormDataContent { { new StringContent("hello"), "comment" } }, HttpStatusCode.BadRequest),
        "two file parts" => (Form(("a.jpg", TinyJpeg), ("b.jpg", TinyJpeg)), HttpStatusCode.BadRequest),
        // The first file is big enough to be a multipart upload in S3 already when the second one shows up.
        "two large file parts" => (Form(("a.jpg", JpegLike(6 * 1024 * 1024)), ("b.jpg", TinyJpeg)), HttpStatusCode.BadRequest),
        "not multipart" => (new ByteArrayContent(TinyJpeg) { Headers = { ContentType = new("image/jpeg") } }, HttpStatusCode.UnsupportedMediaType),
        "truncated body" => (Truncated(Form(("cut.jpg", JpegLike(100_000))), keep: 50_000), HttpStatusCode.BadRequest),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a known bad upload."),
    };

    private static ByteArrayContent Truncated(MultipartFormDataContent form, int keep)
    {
        var bytes = form.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var content = new ByteArrayContent(bytes[..keep]);
        content.Headers.ContentType = form.Headers.ContentType;
        return content;
    }
}
