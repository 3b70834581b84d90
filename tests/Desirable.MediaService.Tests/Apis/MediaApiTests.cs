using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Desirable.MediaService.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Desirable.MediaService.Tests.Apis;

/// <summary>The media API in-process against a real fauxqs process and a real SQLite file.</summary>
public sealed class MediaApiTests(MediaApiFixture fixture) : IClassFixture<MediaApiFixture>
{
    private readonly HttpClient _client = fixture.Factory.CreateClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnUploadedJpegCanBeListedReadDownloadedAndDeleted()
    {
        using var upload = await _client.PostAsync("/v3.0/media", TestMedia.Form(("Holiday 🌴.jpg", TestMedia.TinyJpeg)), Ct);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var item = await ReadJsonAsync(upload);
        var id = item.GetProperty("id").GetString()!;
        Assert.Equal($"/v3.0/media/{id}", upload.Headers.Location?.OriginalString);
        Assert.Equal("image/jpeg", item.GetProperty("contentType").GetString());
        Assert.Equal("Image", item.GetProperty("kind").GetString());
        Assert.Equal("Uploaded", item.GetProperty("status").GetString());
        Assert.Equal("Holiday 🌴.jpg", item.GetProperty("displayName").GetString());
        Assert.Equal(TestMedia.TinyJpeg.Length, item.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(TestMedia.TinyJpeg)), item.GetProperty("sha256").GetString());

        var list = await ReadJsonAsync(await _client.GetAsync("/v3.0/media", Ct));
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);

        var read = await ReadJsonAsync(await _client.GetAsync($"/v3.0/media/{id}", Ct));
        Assert.Equal(id, read.GetProperty("id").GetString());

        using var download = await _client.GetAsync($"/v3.0/media/{id}/content", Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("image/jpeg", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TestMedia.TinyJpeg, await download.Content.ReadAsByteArrayAsync(Ct));

        using var delete = await _client.DeleteAsync($"/v3.0/media/{id}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await AssertProblemAsync(await _client.GetAsync($"/v3.0/media/{id}", Ct), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _client.GetAsync($"/v3.0/media/{id}/content", Ct), HttpStatusCode.NotFound);
        Assert.DoesNotContain(await fixture.BucketContentsAsync(), key => key.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALargeUploadTravelsInPartsAndComesBackIdentical()
    {
        // 11 MiB with 5 MiB parts: two full parts and a short last one.
        var content = TestMedia.JpegLike(11 * 1024 * 1024 + 123);

        using var upload = await _client.PostAsync("/v3.0/media", TestMedia.Form(("big.jpg", content)), Ct);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var id = (await ReadJsonAsync(upload)).GetProperty("id").GetString();

        var downloaded = await _client.GetByteArrayAsync($"/v3.0/media/{id}/content", Ct);
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(downloaded));

        using var range = new HttpRequestMessage(HttpMethod.Get, $"/v3.0/media/{id}/content");
        range.Headers.Range = new RangeHeaderValue(5 * 1024 * 1024 - 10, 5 * 1024 * 1024 + 9);
        using var partial = await _client.SendAsync(range, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal($"bytes {5 * 1024 * 1024 - 10}-{5 * 1024 * 1024 + 9}/{content.Length}", partial.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content.AsSpan(5 * 1024 * 1024 - 10, 20).ToArray(), await partial.Content.ReadAsByteArrayAsync(Ct));

        await _client.DeleteAsync($"/v3.0/media/{id}", Ct);
    }

    [Fact]
    public async Task ContentIsCacheableAndRevalidatesByItsHash()
    {
        var id = await UploadAsync(TestMedia.TinyJpeg);
        using var first = await _client.GetAsync($"/v3.0/media/{id}/content", Ct);
        var etag = first.Headers.ETag;
        Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(TestMedia.TinyJpeg))}\"", etag?.Tag);
        Assert.True(first.Headers.CacheControl?.Private);

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/v3.0/media/{id}/content");
        revalidate.Headers.IfNoneMatch.Add(etag!);
        using var notModified = await _client.SendAsync(revalidate, Ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Ct));

        using var stale = new HttpRequestMessage(HttpMethod.Get, $"/v3.0/media/{id}/content");
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0000\""));
        using var full = await _client.SendAsync(stale, Ct);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal(TestMedia.TinyJpeg, await full.Content.ReadAsByteArrayAsync(Ct));

        await _client.DeleteAsync($"/v3.0/media/{id}", Ct);
    }

    [Fact]
    public async Task ARangePastTheEndIsNotSatisfiable()
    {
        var id = await UploadAsync(TestMedia.TinyJpeg);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v3.0/media/{id}/content");
        request.Headers.Range = new RangeHeaderValue(10_000, null);

        using var response = await _client.SendAsync(request, Ct);

        await AssertProblemAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable);
        Assert.Equal($"bytes */{TestMedia.TinyJpeg.Length}", response.Content.Headers.ContentRange?.ToString());
        await _client.DeleteAsync($"/v3.0/media/{id}", Ct);
    }

    public static TheoryData<string> BadUploads => ["empty file", "renamed executable", "over the limit", "no file part", "two file parts", "two large file parts", "not multipart", "truncated body"];

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task ABadUploadGetsAProblemAndLeavesNothingBehind(string upload)
    {
        var bucketBefore = await fixture.BucketContentsAsync();
        var catalogBefore = await fixture.CatalogContentsAsync();

        var (content, expected) = TestMedia.BadUpload(upload, oversizeBytes: MediaApiFixture.MaxFileSizeBytes + 1);
        using var body = content;

        using var response = await _client.PostAsync("/v3.0/media", body, Ct);

        await AssertProblemAsync(response, expected);
        Assert.Equal(bucketBefore, await fixture.BucketContentsAsync());
        Assert.Equal(catalogBefore, await fixture.CatalogContentsAsync());
    }

    [Fact]
    public async Task AnUploadWhoseClientGoesAwayMidwayLeavesNothingBehind()
    {
        var bucketBefore = await fixture.BucketContentsAsync();
        var catalogBefore = await fixture.CatalogContentsAsync();

        // A real socket on real Kestrel: announce 11 MiB, send 7 MiB, wait until the server has a multipart upload
        // open in S3, then drop the connection. The server must abort that upload.
        await using var kestrel = fixture.CreateFactory(fixture.BucketName);
        var port = LoopbackPort.Free();
        kestrel.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        kestrel.StartServer();

        using (var socket = new System.Net.Sockets.TcpClient())
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, Ct);
            var stream = socket.GetStream();
            var head = System.Text.Encoding.ASCII.GetBytes(
                "POST /v3.0/media HTTP/1.1\r\nHost: localhost\r\n" +
                $"Authorization: Bearer {await fixture.Issuer.TokenAsync(LocalIssuer.Alice)}\r\n" +
                "Content-Type: multipart/form-data; boundary=cut\r\n" +
                $"Content-Length: {11 * 1024 * 1024}\r\n\r\n" +
                "--cut\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.jpg\"\r\n\r\n");
            await stream.WriteAsync(head, Ct);
            await stream.WriteAsync(TestMedia.JpegLike(7 * 1024 * 1024), Ct);
            await stream.FlushAsync(Ct);

            Assert.True(
                await WaitUntilAsync(async () => (await fixture.BucketContentsAsync()).Except(bucketBefore).Any(k => k.StartsWith("open multipart upload", StringComparison.Ordinal))),
                "The server never started a multipart upload, so the test proves nothing.");
            socket.Client.LingerState = new System.Net.Sockets.LingerOption(true, 0);
        }

        await WaitUntilAsync(async () => (await fixture.BucketContentsAsync()).SequenceEqual(bucketBefore));
        Assert.Equal(bucketBefore, await fixture.BucketContentsAsync());
        Assert.Equal(catalogBefore, await fixture.CatalogContentsAsync());
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50, Ct);
        }

        return false;
    }

    [Theory]
    [InlineData("/v3.0/media?cursor=zzz", HttpStatusCode.BadRequest)]
    [InlineData("/v3.0/media?cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", HttpStatusCode.BadRequest)]
    [InlineData("/v3.0/media?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/v3.0/media?limit=1000", HttpStatusCode.BadRequest)]
    [InlineData("/v3.0/media?limit=ten", HttpStatusCode.BadRequest)]
    [InlineData("/v3.0/media?limit=-1", HttpStatusCode.BadRequest)]
    [InlineData("/v3.0/media?kind=document", HttpStatusCode.BadRequest)]
    [InlineData("/v3.0/media?status=1", HttpStatusCode.BadRequest)]
    [InlineData("/v3.0/media/0193a5c4-7f3e-7c2a-9d4e-1b2c3d4e5f60", HttpStatusCode.NotFound)]
    [InlineData("/v3.0/media/0193a5c4-7f3e-7c2a-9d4e-1b2c3d4e5f60/content", HttpStatusCode.NotFound)]
    [InlineData("/v3.0/media/not-a-guid", HttpStatusCode.BadRequest)]
    [InlineData("/v3.0/media/not-a-guid/content", HttpStatusCode.BadRequest)]
    [InlineData("/v3.0/media/%7B0193a5c4-7f3e-7c2a-9d4e-1b2c3d4e5f60%7D", HttpStatusCode.BadRequest)]
    public async Task BadReadsGetProblems(string url, HttpStatusCode expected)
    {
        await AssertProblemAsync(await _client.GetAsync(url, Ct), expected);
    }

    [Theory]
    [InlineData("/v3.0/media/0193a5c4-7f3e-7c2a-9d4e-1b2c3d4e5f60", HttpStatusCode.NotFound)]
    [InlineData("/v3.0/media/not-a-guid", HttpStatusCode.BadRequest)]
    public async Task BadDeletesGetProblemsAndChangeNothing(string url, HttpStatusCode expected)
    {
        var catalogBefore = await fixture.CatalogContentsAsync();

        await AssertProblemAsync(await _client.DeleteAsync(url, Ct), expected);

        Assert.Equal(catalogBefore, await fixture.CatalogContentsAsync());
    }

    [Fact]
    public async Task ListingPagesThroughEverythingAndFilters()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await UploadAsync(TestMedia.JpegLike(1000, seed: i)));
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await ReadJsonAsync(await _client.GetAsync(
                cursor is null ? "/v3.0/media?limit=2" : $"/v3.0/media?limit=2&cursor={cursor}", Ct));
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.True(items.Count <= 2);
            seen.AddRange(items.Select(i => i.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        // Ids are version 7 GUIDs, so upload order is id order; the listing is newest first.
        var ours = seen.Where(ids.Contains).ToList();
        Assert.Equal(Enumerable.Reverse(ids), ours);
        Assert.Equal(seen.Count, seen.Distinct().Count());

        var videos = await ReadJsonAsync(await _client.GetAsync("/v3.0/media?kind=video", Ct));
        Assert.Empty(videos.GetProperty("items").EnumerateArray());
        var uploaded = await ReadJsonAsync(await _client.GetAsync("/v3.0/media?status=uploaded&kind=Image&limit=100", Ct));
        Assert.Superset(ids.ToHashSet(), uploaded.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToHashSet());

        foreach (var id in ids)
        {
            await _client.DeleteAsync($"/v3.0/media/{id}", Ct);
        }
    }

    [Fact]
    public async Task WhenTheCatalogIsLockedAnUploadIsRefusedAsUnavailableAndItsObjectRemoved()
    {
        var bucketBefore = await fixture.BucketContentsAsync();
        var catalogBefore = await fixture.CatalogContentsAsync();

        // A writer holding the SQLite file's write lock makes the catalog insert fail after S3 took the bytes.
        await using var blocker = new SqliteConnection(fixture.CatalogConnectionString);
        await blocker.OpenAsync(Ct);
        await using var transaction = await blocker.BeginTransactionAsync(Ct);
        await using (var write = blocker.CreateCommand())
        {
            write.CommandText = "UPDATE media_items SET version = version WHERE 0";
            await write.ExecuteNonQueryAsync(Ct);
        }

        using var response = await _client.PostAsync("/v3.0/media", TestMedia.Form(("locked.jpg", TestMedia.TinyJpeg)), Ct);
        await transaction.RollbackAsync(Ct);

        // Not a server error: the client is told nothing was stored and when to try again.
        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal(bucketBefore, await fixture.BucketContentsAsync());
        Assert.Equal(catalogBefore, await fixture.CatalogContentsAsync());
    }

    [Fact]
    public async Task WhenStorageFailsNoCatalogEntryIsWritten()
    {
        var catalogBefore = await fixture.CatalogContentsAsync();
        await using var withoutBucket = fixture.CreateFactory("bucket-that-does-not-exist");
        using var client = withoutBucket.CreateClient();

        using var response = await client.PostAsync("/v3.0/media", TestMedia.Form(("lost.jpg", TestMedia.TinyJpeg)), Ct);

        await AssertProblemAsync(response, HttpStatusCode.InternalServerError);
        Assert.Equal(catalogBefore, await fixture.CatalogContentsAsync());
    }

    [Fact]
    public async Task HealthReportsTheCatalogAndTheBucket()
    {
        using var healthy = await _client.GetAsync("/health", Ct);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);

        await using var withoutBucket = fixture.CreateFactory("bucket-that-does-not-exist");
        using var unhealthy = await withoutBucket.CreateClient().GetAsync("/health", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
    }

    private async Task<string> UploadAsync(byte[] content)
    {
        using var response = await _client.PostAsync("/v3.0/media", TestMedia.Form(("file.jpg", content)), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ReadJsonAsync(response)).GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Fact]
    public async Task TheOpenApiDocumentPromisesOnlyTheStatusesAClientCanSee()
    {
        var document = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json", Ct)).RootElement;

        var statuses = document.GetProperty("components").GetProperty("schemas").GetProperty("MediaItemStatus").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString() ?? "").ToArray();
        Assert.Equal(["Uploaded", "Processing", "Ready", "Failed"], statuses);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
    }

}
