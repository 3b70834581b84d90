using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Desirable.Media.Jobs;
using Desirable.Media.Model;
using Desirable.Media.Storage;

namespace Desirable.MediaProcessor.Tests;

/// <summary>
/// The hostile-input suite: a corpus generated here (nothing binary is committed) of files and requests an attacker
/// would try, each with the outcome it must have. After each, the bucket, the catalog and the queues are read
/// directly, not through the API: a refused request leaves all of them as they were; a processed file is Ready or
/// Failed with a plain reason and exactly its own objects, its event, and (Failed) its job in the dead-letter queue.
/// Run alone: <c>dotnet test tests/Desirable.MediaProcessor.Tests --filter "FullyQualifiedName~HostileInputTests"</c>.
/// </summary>
public sealed class HostileInputTests(HostileSuite suite) : IClassFixture<HostileSuite>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ProcessingFixture Fixture => suite.Fixture;

    /// <summary>What the API must answer to a request; nothing may change.</summary>
    private sealed record Refusal(HttpStatusCode Status);

    /// <summary>An upload the API accepts; processing must end in <paramref name="Status"/>, with a reason containing <paramref name="Reason"/>.</summary>
    private sealed record Processing(MediaStatus Status, string? Reason = null, int Variants = 2);

    private sealed record HostileCase(Func<HostileSuite, Task<HttpResponseMessage>> Send, object Expected, bool NeedsFfmpeg = false);

    private static readonly Dictionary<string, HostileCase> Corpus = new(StringComparer.Ordinal)
    {
        // Decompression bombs on both sides of the pixel limit (100 MP) and of the decode budget (200 MB here).
        ["PNG bomb far above the pixel limit"] = Upload("bomb.png", TestImages.BombPng(50_000, 50_000), new Processing(MediaStatus.Failed, "at most 100,000,000 pixels")),
        ["PNG bomb just above the pixel limit"] = Upload("bomb.png", TestImages.BombPng(10_001, 10_000), new Processing(MediaStatus.Failed, "at most 100,000,000 pixels")),
        ["PNG bomb below the pixel limit, above the memory budget"] = Upload("bomb.png", TestImages.BombPng(9_000, 9_000), new Processing(MediaStatus.Failed, "too large to process")),
        ["PNG bomb below both limits, truncated"] = Upload("bomb.png", TestImages.BombPng(5_000, 5_000), new Processing(MediaStatus.Failed, "The image is")),
        ["GIF whose screen is above the pixel limit"] = Upload("screen.gif", TestImages.AnimatedGif(65_535, 65_535, 10), new Processing(MediaStatus.Failed, "at most 100,000,000 pixels")),
        // Skia decodes GIFs at an eighth as it does JPEGs, so a screen that would need 324 MB costs 5 MB.
        ["GIF whose screen is below the pixel limit and above the budget at full size"] = Upload("screen.gif", TestImages.AnimatedGif(9_000, 9_000, 10), new Processing(MediaStatus.Ready)),
        ["animated GIF of 20,000 frames"] = Upload("frames.gif", TestImages.AnimatedGif(256, 256, 20_000), new Processing(MediaStatus.Ready)),
        ["PNG text-chunk bomb (64 MiB of text)"] = Upload("text.png", TestImages.PngWithTextBomb(TestImages.Png(64, 64), 64 << 20), new Processing(MediaStatus.Ready)),

        // Extreme shapes and the smallest images.
        ["1x1 JPEG"] = Upload("dot.jpg", TestImages.Jpeg(1, 1), new Processing(MediaStatus.Ready)),
        ["1x1 PNG"] = Upload("dot.png", TestImages.Png(1, 1), new Processing(MediaStatus.Ready)),
        ["1x1 GIF"] = Upload("dot.gif", TestImages.AnimatedGif(1, 1, 1), new Processing(MediaStatus.Ready)),
        ["8 x 70,000 PNG"] = Upload("tall.png", TestImages.Png(8, 70_000), new Processing(MediaStatus.Ready)),
        ["70,000 x 8 PNG"] = Upload("wide.png", TestImages.Png(70_000, 8), new Processing(MediaStatus.Ready)),

        // Damaged and two-faced files.
        ["truncated JPEG"] = Upload("cut.jpg", Half(TestImages.Jpeg(1600, 1200)), new Processing(MediaStatus.Failed, "truncated")),
        ["truncated PNG"] = Upload("cut.png", Half(TestImages.Png(800, 600)), new Processing(MediaStatus.Failed, "The image is")),
        ["JPEG magic over random bytes"] = Upload("noise.jpg", TestMedia.JpegLike(20_000), new Processing(MediaStatus.Failed)),
        ["JPEG with a script in its EXIF"] = Upload("exif.jpg", TestImages.JpegWithExif(400, 300, 1, "<script>alert(1)</script>"), new Processing(MediaStatus.Ready)),
        ["JPEG with a ZIP appended"] = Upload("polyglot.jpg", [.. TestImages.Jpeg(200, 150), .. "PK\u0003\u0004"u8, .. new byte[2000]], new Processing(MediaStatus.Ready)),
        ["GIF that is also JavaScript"] = Upload("polyglot.gif", [.. "GIF89a=1;alert(document.domain)//"u8, .. new byte[200]], new Processing(MediaStatus.Failed)),
        ["DASH manifest posing as QuickTime"] = Upload("clip.mov", Encoding.ASCII.GetBytes(
            "<!--free--><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\"><Period><AdaptationSet><Representation id=\"1\">" +
            "<BaseURL>http://169.254.169.254/latest/meta-data/</BaseURL></Representation></AdaptationSet></Period></MPD>"),
            new Processing(MediaStatus.Failed, "The video cannot be read", Variants: 0), NeedsFfmpeg: true),
        ["HLS playlist posing as QuickTime"] = Upload("clip.mov", [0, 0, 0, 8, .. "free#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n"u8],
            new Processing(MediaStatus.Failed, "The video cannot be read", Variants: 0), NeedsFfmpeg: true),
        ["MP4 that is only a file-type box"] = Upload("empty.mp4", TestVideos.Mp4Header(), new Processing(MediaStatus.Failed, "The video cannot be read", Variants: 0), NeedsFfmpeg: true),
        ["WebM header over random bytes"] = Upload("noise.webm", [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x82, 0x84, .. "webm"u8, .. TestMedia.JpegLike(5000)[4..]], new Processing(MediaStatus.Failed, Variants: 0), NeedsFfmpeg: true),

        // Uploads the API refuses before anything is stored.
        ["empty file"] = Upload("empty.jpg", [], new Refusal(HttpStatusCode.BadRequest)),
        ["renamed executable"] = Upload("photo.jpg", TestMedia.Executable, new Refusal(HttpStatusCode.UnsupportedMediaType)),
        ["HTML named .png"] = Upload("page.png", "<!doctype html><script>alert(1)</script>"u8.ToArray(), new Refusal(HttpStatusCode.UnsupportedMediaType)),
        ["SVG with a script"] = Upload("icon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray(), new Refusal(HttpStatusCode.UnsupportedMediaType)),
        ["PDF"] = Upload("doc.jpg", "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj<<>>endobj\n"u8.ToArray(), new Refusal(HttpStatusCode.UnsupportedMediaType)),
        ["file over the upload limit"] = Upload("big.jpg", TestMedia.JpegLike((int)HostileSuite.MaxFileSizeBytes + 1), new Refusal(HttpStatusCode.RequestEntityTooLarge)),
        ["multipart with no file part"] = Body(TestMedia.BadUpload("no file part", 0).Body, new Refusal(HttpStatusCode.BadRequest)),
        ["multipart with two file parts"] = Body(TestMedia.BadUpload("two file parts", 0).Body, new Refusal(HttpStatusCode.BadRequest)),
        ["body that is not multipart"] = Body(TestMedia.BadUpload("not multipart", 0).Body, new Refusal(HttpStatusCode.UnsupportedMediaType)),
        ["multipart body cut short"] = Body(TestMedia.BadUpload("truncated body", 0).Body, new Refusal(HttpStatusCode.BadRequest)),
        ["multipart boundary of 71 characters"] = Body(Multipart(new string('b', 71)), new Refusal(HttpStatusCode.BadRequest)),
        ["multipart without a boundary"] = Body(Multipart(null), new Refusal(HttpStatusCode.BadRequest)),
        ["upload by a read-only user"] = As(LocalIssuer.Vera, HttpMethod.Post, "/v3.0/media", new Refusal(HttpStatusCode.Forbidden)),
        ["upload without a token"] = As(null, HttpMethod.Post, "/v3.0/media", new Refusal(HttpStatusCode.Unauthorized)),

        // Names that try to be paths, markup or endless.
        ["file name that climbs directories"] = Upload("../../../etc/passwd.jpg", TestImages.Jpeg(8, 8), new Processing(MediaStatus.Ready)),
        ["file name with control characters and markup"] = Upload("a\u0000b\r\nc<img src=x onerror=alert(1)>\u202e.jpg", TestImages.Jpeg(8, 8), new Processing(MediaStatus.Ready)),
        ["file name of 5,000 characters"] = Upload(new string('n', 5_000) + ".jpg", TestImages.Jpeg(8, 8), new Processing(MediaStatus.Ready)),

        // Ids, cursors, limits, filters, methods: someone else's things and malformed ones.
        ["id that is not a GUID"] = As(LocalIssuer.Alice, HttpMethod.Get, "/v3.0/media/not-a-guid", new Refusal(HttpStatusCode.BadRequest)),
        ["id in braces"] = As(LocalIssuer.Alice, HttpMethod.Get, "/v3.0/media/{{{alice}}}", new Refusal(HttpStatusCode.BadRequest)),
        ["id of nothing"] = As(LocalIssuer.Alice, HttpMethod.Get, "/v3.0/media/0193a5c4-7f3e-7c2a-9d4e-1b2c3d4e5f60", new Refusal(HttpStatusCode.NotFound)),
        ["Bob's item read by Alice"] = As(LocalIssuer.Alice, HttpMethod.Get, "/v3.0/media/{bob}", new Refusal(HttpStatusCode.NotFound)),
        ["Bob's content read by Alice"] = As(LocalIssuer.Alice, HttpMethod.Get, "/v3.0/media/{bob}/content", new Refusal(HttpStatusCode.NotFound)),
        ["Bob's thumbnail read by Alice"] = As(LocalIssuer.Alice, HttpMethod.Get, "/v3.0/media/{bob}/variants/thumb", new Refusal(HttpStatusCode.NotFound)),
        ["Bob's item deleted by Alice"] = As(LocalIssuer.Alice, HttpMethod.Delete, "/v3.0/media/{bob}", new Refusal(HttpStatusCode.NotFound)),
        ["Alice's item deleted by a read-only user"] = As(LocalIssuer.Vera, HttpMethod.Delete, "/v3.0/media/{alice}", new Refusal(HttpStatusCode.Forbidden)),
        ["variant that does not exist"] = As(LocalIssuer.Alice, HttpMethod.Get, "/v3.0/media/{alice}/variants/original", new Refusal(HttpStatusCode.NotFound)),
        ["variant name that climbs directories"] = As(LocalIssuer.Alice, HttpMethod.Get, "/v3.0/media/{alice}/variants/..%2F..%2Foriginal", new Refusal(HttpStatusCode.NotFound)),
        ["range past the end"] = As(LocalIssuer.Alice, HttpMethod.Get, "/v3.0/media/{alice}/content", new Refusal(HttpStatusCode.RequestedRangeNotSatisfiable), range: "bytes=999999999-"),
        ["cursor that is not one"] = As(LocalIssuer.Alice, HttpMethod.Get, "/v3.0/media?cursor=zzz", new Refusal(HttpStatusCode.BadRequest)),
        ["cursor of the right length, forged"] = As(LocalIssuer.Alice, HttpMethod.Get, "/v3.0/media?cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", new Refusal(HttpStatusCode.BadRequest)),
        ["limit of zero"] = As(LocalIssuer.Alice, HttpMethod.Get, "/v3.0/media?limit=0", new Refusal(HttpStatusCode.BadRequest)),
        ["limit of a thousand"] = As(LocalIssuer.Alice, HttpMethod.Get, "/v3.0/media?limit=1000", new Refusal(HttpStatusCode.BadRequest)),
        ["limit in words"] = As(LocalIssuer.Alice, HttpMethod.Get, "/v3.0/media?limit=ten", new Refusal(HttpStatusCode.BadRequest)),
        ["status filter for items being deleted"] = As(LocalIssuer.Alice, HttpMethod.Get, "/v3.0/media?status=Deleting", new Refusal(HttpStatusCode.BadRequest)),
        ["kind filter that is a number"] = As(LocalIssuer.Alice, HttpMethod.Get, "/v3.0/media?kind=1", new Refusal(HttpStatusCode.BadRequest)),
        ["PUT on the collection"] = As(LocalIssuer.Alice, HttpMethod.Put, "/v3.0/media", new Refusal(HttpStatusCode.MethodNotAllowed)),
        ["PATCH on an item"] = As(LocalIssuer.Alice, HttpMethod.Patch, "/v3.0/media/{alice}", new Refusal(HttpStatusCode.MethodNotAllowed)),
        ["token for another audience"] = As(null, HttpMethod.Get, "/v3.0/media", new Refusal(HttpStatusCode.Unauthorized), bearer: "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhdXRoMHxhbGljZSJ9."),
    };

    public static TheoryData<string> Cases() => [.. Corpus.Keys];

    [Fact]
    public void TheCorpusHoldsAtLeastFortyFilesAndRequests() => Assert.True(Corpus.Count >= 40, $"{Corpus.Count} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EachHostileInputGetsItsExpectedOutcomeAndLeavesExactlyWhatItShould(string name)
    {
        var hostile = Corpus[name];
        if (hostile.NeedsFfmpeg && await TestVideos.TryMakeMp4Async(16, 16, seconds: 1) is null)
        {
            Assert.Skip("ffmpeg is not installed here (Debian: apt-get install ffmpeg; .ci/run installs it).");
        }

        var bucketBefore = await Fixture.BucketContentsAsync();
        var catalogBefore = await CatalogAsync();

        using var response = await hostile.Send(suite);
        var body = await response.Content.ReadAsStringAsync(Ct);

        switch (hostile.Expected)
        {
            case Refusal refusal:
                Assert.True(refusal.Status == response.StatusCode, $"Expected {(int)refusal.Status}, got {(int)response.StatusCode}: {body}");
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    // A problem detail, with a reason in words and nothing of the server's insides.
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    AssertPlain(body);
                }

                Assert.Equal(bucketBefore, await Fixture.BucketContentsAsync());
                Assert.Equal(catalogBefore, await CatalogAsync());
                Assert.Equal(0, await DepthAsync(suite.QueueUrl));
                break;

            case Processing processing:
                Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {body}");
                var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
                var item = await Fixture.WaitForFinalAsync(id);
                Assert.True(processing.Status == item.Status, $"Expected {processing.Status}, got {item.Status}: {item.StatusReason}");
                await AssertStoredAsync(item, processing, bucketBefore, catalogBefore);
                break;
        }
    }

    private async Task AssertStoredAsync(MediaItem item, Processing expected, IReadOnlyList<string> bucketBefore, IReadOnlyList<Guid> catalogBefore)
    {
        // The catalog: this item and nothing else new; its name is a name, not a path or markup.
        Assert.Equal([.. catalogBefore, item.Id], (await CatalogAsync()).Order());
        Assert.DoesNotContain('/', item.DisplayName);
        Assert.DoesNotContain(item.DisplayName, c => char.IsControl(c));
        Assert.InRange(item.DisplayName.Length, 1, 255);

        // The bucket: its original, and its variants only when Ready.
        string[] keys = item.Status == MediaStatus.Ready
            ? [MediaObjectKeys.Original(item.Id), .. new[] { item.Thumb, item.Preview }.Zip(MediaVariantName.All).Where(v => v.First is not null).Select(v => MediaObjectKeys.Variant(item.Id, v.Second))]
            : [MediaObjectKeys.Original(item.Id)];
        Assert.Equal(expected.Status == MediaStatus.Ready ? expected.Variants + 1 : 1, keys.Length);
        Assert.Equal([.. bucketBefore.Concat(keys).Order(StringComparer.Ordinal)], await Fixture.BucketContentsAsync());

        // The queues: the job is gone from the job queue; a Failed one waits in the dead-letter queue with its reason.
        await Fixture.WaitUntilEmptyAsync(suite.QueueUrl);
        var published = await Fixture.WaitForMessageAsync(Fixture.EventsQueueUrl, item.Id);
        Assert.Equal(item.Status == MediaStatus.Ready ? "media.ready" : "media.failed", JsonDocument.Parse(published.Body).RootElement.GetProperty("type").GetString());
        if (item.Status == MediaStatus.Failed)
        {
            Assert.Contains(expected.Reason ?? "", item.StatusReason, StringComparison.Ordinal);
            AssertPlain(item.StatusReason!);
            var deadLetter = await Fixture.WaitForMessageAsync(Fixture.DeadLetterQueueUrl, item.Id);
            Assert.Equal(item.StatusReason, deadLetter.MessageAttributes[ProcessingJobs.ReasonAttribute].StringValue);
        }
        else
        {
            Assert.Null(item.StatusReason);
        }
    }

    /// <summary>A reason a person reads: no temporary paths, tool output, exception names or stack traces.</summary>
    private static void AssertPlain(string text)
    {
        foreach (var inside in new[] { "/tmp", "desirable-job", "Exception", "   at ", "ffmpeg", "ffprobe", "Invalid data found", "SkiaSharp" })
        {
            Assert.DoesNotContain(inside, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private async Task<IReadOnlyList<Guid>> CatalogAsync()
    {
        var page = await Fixture.Catalog.ListAsync(new Desirable.Media.Catalog.MediaListQuery(null, 100), CancellationToken.None);
        return [.. page.Items.Select(i => i.Id).Order()];
    }

    private Task<int> DepthAsync(string queueUrl) => QueueMessages.DepthAsync(Fixture.Sqs, queueUrl, Ct);

    private static HostileCase Upload(string fileName, byte[] bytes, object expected, bool NeedsFfmpeg = false) =>
        new(async s =>
        {
            using var client = await s.ClientAsync(LocalIssuer.Alice);
            return await client.PostAsync("/v3.0/media", TestMedia.Form((fileName, bytes)), Ct);
        }, expected, NeedsFfmpeg);

    private static HostileCase Body(HttpContent content, object expected) =>
        new(async s =>
        {
            using var client = await s.ClientAsync(LocalIssuer.Alice);
            return await client.PostAsync("/v3.0/media", content, Ct);
        }, expected);

    private static HostileCase As(string? user, HttpMethod method, string path, object expected, string? range = null, string? bearer = null) =>
        new(async s =>
        {
            using var client = await s.ClientAsync(user);
            if (bearer is not null)
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }

            using var request = new HttpRequestMessage(method, path.Replace("{alice}", s.AlicesItem.ToString(), StringComparison.Ordinal)
                .Replace("{bob}", s.BobsItem.ToString(), StringComparison.Ordinal))
            {
                Content = method == HttpMethod.Post ? TestMedia.Form(("photo.jpg", TestMedia.TinyJpeg)) : null,
            };
            if (range is not null)
            {
                request.Headers.Range = RangeHeaderValue.Parse(range);
            }

            return await client.SendAsync(request, Ct);
        }, expected);

    /// <summary>A well-formed file part under a boundary of the caller's choosing (null: the header names none).</summary>
    private static ByteArrayContent Multipart(string? boundary)
    {
        var separator = boundary ?? "x";
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(
            $"--{separator}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n" +
            Encoding.Latin1.GetString(TestMedia.TinyJpeg) + $"\r\n--{separator}--\r\n"));
        content.Headers.TryAddWithoutValidation("Content-Type", boundary is null ? "multipart/form-data" : $"multipart/form-data; boundary={boundary}");
        return content;
    }

    private static byte[] Half(byte[] bytes) => bytes[..(bytes.Length / 2)];
}
