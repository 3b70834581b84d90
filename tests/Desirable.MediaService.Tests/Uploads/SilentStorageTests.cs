using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Desirable.MediaService.Tests.Infrastructure;

namespace Desirable.MediaService.Tests.Uploads;

/// <summary>
/// S3 that takes connections and never answers: what the media service meets when the local emulator is stopped behind
/// Aspire's proxy, or when a route to S3 goes dark. The service runs as a process of its own with only S3 pointed at a
/// <see cref="SilentEndpoint"/> (SQS and the catalog are real). An upload is refused with a 503 problem detail after
/// the configured request timeout, well before the gateway would give up on it, and leaves at most a Deleting
/// tombstone for an object that may have landed, hidden from every read.
/// </summary>
public sealed class SilentStorageTests(MediaApiFixture fixture) : IClassFixture<MediaApiFixture>
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UploadsWhileStorageNeverAnswersAreRefusedWithinItsRequestTimeoutAndLeaveOnlyTombstones()
    {
        await using var silent = new SilentEndpoint();
        var port = LoopbackPort.Free();
        using var service = ServiceProcess.Start("Desirable.MediaService", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            // Only S3 goes to the silent endpoint; SQS stays on the shared emulator (AWS_ENDPOINT_URL).
            ["AWS_ENDPOINT_URL_S3"] = silent.Url.ToString(),
            ["ConnectionStrings:catalog"] = fixture.CatalogConnectionString,
            ["Storage:BucketName"] = fixture.BucketName,
            ["Storage:ForcePathStyle"] = "true",
            ["Storage:RequestTimeout"] = RequestTimeout.ToString(),
            ["Storage:PartSizeBytes"] = MediaApiFixture.PartSizeBytes.ToString(CultureInfo.InvariantCulture),
            ["Uploads:MaxFileSizeBytes"] = MediaApiFixture.MaxFileSizeBytes.ToString(CultureInfo.InvariantCulture),
            ["Processing:QueueName"] = fixture.QueueName,
            ["Identity:Authority"] = fixture.Issuer.Authority,
            ["Identity:Audience"] = LocalIssuer.Audience,
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await fixture.Issuer.TokenAsync(LocalIssuer.Alice));
        await service.WaitUntilAliveAsync(client.BaseAddress, TimeSpan.FromSeconds(30), Ct);
        var before = await CatalogStatusesAsync();

        try
        {
            // One PutObject: sent in full, never answered. It may have landed, so it is recorded for deletion.
            await AssertRefusedAsync(client, TestMedia.JpegLike(100_000), "small.jpg");
            var added = (await CatalogStatusesAsync()).Where(e => !before.ContainsKey(e.Key)).ToList();
            var tombstone = Assert.Single(added);
            Assert.Equal("Deleting", tombstone.Value);
            using (var read = await client.GetAsync($"/v3.0/media/{tombstone.Key}", Ct))
            {
                Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
            }

            // Larger than one PutObject takes: the multipart upload never opens, so nothing can have landed.
            await AssertRefusedAsync(client, TestMedia.JpegLike(11 * 1024 * 1024), "large.jpg");
            Assert.Equal(added, (await CatalogStatusesAsync()).Where(e => !before.ContainsKey(e.Key)).ToList());
            Assert.True(silent.Connections > 0, "The requests never reached the silent endpoint, so its silence proves nothing.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}{Environment.NewLine}{Environment.NewLine}media service:{Environment.NewLine}" +
                string.Join(Environment.NewLine, service.RecentOutput.Split('\n').TakeLast(60)), e);
        }
    }

    private static async Task AssertRefusedAsync(HttpClient client, byte[] content, string fileName)
    {
        using var form = TestMedia.Form((fileName, content));
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsync("/v3.0/media", form, Ct);
        watch.Stop();
        TestContext.Current.SendDiagnosticMessage($"{fileName}: {(int)response.StatusCode} after {watch.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("Storage unavailable", problem.GetProperty("title").GetString());
        // Three attempts of one request timeout each, and the SDK's short back-off between them; nothing near the
        // SDK's own 100 s, which is also how long the gateway waits for an answer.
        Assert.InRange(watch.Elapsed, RequestTimeout, TimeSpan.FromSeconds(15));
    }

    private Task<IReadOnlyDictionary<Guid, string>> CatalogStatusesAsync() => CatalogFile.StatusesAsync(fixture.CatalogConnectionString, Ct);
}
