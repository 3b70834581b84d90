using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Desirable.MediaService.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Desirable.MediaService.Tests.Apis;

/// <summary>
/// The API's JSON goes compressed to clients that accept it (the gallery's lists, on every visit); media bytes never do.
/// The service runs in-process on the real fauxqs and SQLite file.
/// </summary>
public sealed class ResponseCompressionTests : IClassFixture<MediaApiFixture>, IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    public ResponseCompressionTests(MediaApiFixture fixture) => _factory = fixture.CreateFactory(fixture.BucketName);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AListGoesBrotliCompressedToABrowserAndReadsTheSameAsUncompressed()
    {
        using var client = _factory.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var upload = await client.PostAsync("/v3.0/media", TestMedia.Form(($"compressed-{i}.jpg", TestMedia.TinyJpeg)), Ct);
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        }

        using var plain = await client.GetAsync("/v3.0/media?limit=3", Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v3.0/media?limit=3") { Headers = { { "Accept-Encoding", "gzip, deflate, br, zstd" } } };
        using var compressed = await client.SendAsync(request, Ct);

        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(["br"], compressed.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", compressed.Headers.Vary);
        var wire = await compressed.Content.ReadAsByteArrayAsync(Ct);
        await using var brotli = new BrotliStream(new MemoryStream(wire), CompressionMode.Decompress);
        var decoded = JsonDocument.Parse(brotli).RootElement;
        var expected = JsonDocument.Parse(await plain.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(3, decoded.GetProperty("items").GetArrayLength());
        Assert.Equal(
            expected.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()),
            decoded.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.True(wire.Length < (await plain.Content.ReadAsByteArrayAsync(Ct)).Length, "the compressed list is the smaller");
    }

    [Fact]
    public async Task AnItemsBytesGoAsTheyAreStoredWhateverTheClientAccepts()
    {
        using var client = _factory.CreateClient();
        using var upload = await client.PostAsync("/v3.0/media", TestMedia.Form(("bytes.jpg", TestMedia.TinyJpeg)), Ct);
        var id = JsonDocument.Parse(await upload.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetGuid();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v3.0/media/{id}/content") { Headers = { { "Accept-Encoding", "br, gzip" } } };
        using var content = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.Empty(content.Content.Headers.ContentEncoding);
        Assert.Equal(TestMedia.TinyJpeg, await content.Content.ReadAsByteArrayAsync(Ct));
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}
