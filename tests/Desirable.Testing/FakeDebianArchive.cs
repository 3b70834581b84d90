using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Desirable.Testing;

/// <summary>
/// A test double of deb.debian.org and snapshot.debian.org: serves the packages it is given by path, 404 for the rest,
/// and counts requests. Also makes .deb files (ar, data.tar.gz) out of named contents.
/// </summary>
public sealed class FakeDebianArchive : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private FakeDebianArchive(WebApplication app, Uri url)
    {
        _app = app;
        Mirror = new Uri(url, "mirror/");
        Snapshot = new Uri(url, "snapshot/");
    }

    public Uri Mirror { get; }

    public Uri Snapshot { get; }

    /// <summary>Files by path under <see cref="Mirror"/> or <see cref="Snapshot"/> (mirror/debian/pool/...).</summary>
    public Dictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public int Requests => _requests;

    public static async Task<FakeDebianArchive> StartAsync()
    {
        FakeDebianArchive? archive = null;
        var (app, url) = await FakeEndpoint.StartAsync(routes => routes.MapGet("/{**path}", (string path) =>
        {
            Interlocked.Increment(ref archive!._requests);
            return archive.Files.TryGetValue(path, out var bytes) ? Results.Bytes(bytes, "application/vnd.debian.binary-package") : Results.NotFound();
        }));
        archive = new FakeDebianArchive(app, url);
        return archive;
    }

    /// <summary>A Debian package (an ar archive with debian-binary and data.tar.gz) holding <paramref name="files"/>.</summary>
    public static byte[] Deb(IReadOnlyDictionary<string, byte[]> files)
    {
        using var data = new MemoryStream();
        using (var gzip = new GZipStream(data, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                tar.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, "./" + path) { DataStream = new MemoryStream(content) });
            }
        }

        using var deb = new MemoryStream();
        deb.Write("!<arch>\n"u8);
        Member(deb, "debian-binary", "2.0\n"u8.ToArray());
        Member(deb, "data.tar.gz", data.ToArray());
        return deb.ToArray();
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static void Member(Stream deb, string name, byte[] content)
    {
        var header = $"{name,-16}{0,-12}{0,-6}{0,-6}{"100644",-8}{content.Length,-10}`\n";
        deb.Write(Encoding.ASCII.GetBytes(header));
        deb.Write(content);
        if (content.Length % 2 == 1)
        {
            deb.WriteByte((byte)'\n');
        }
    }
}
