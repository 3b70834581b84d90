using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Desirable.MediaService.Tests.Infrastructure;
using Desirable.MediaService.Uploads;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Desirable.MediaService.Tests.Uploads;

/// <summary>
/// Uploads that hold the service's memory: too many at once, per user and in total, and clients that trickle. Each
/// runs on real Kestrel with real sockets, because the point is what a client that never finishes does.
/// </summary>
public sealed class UploadLoadTests(MediaApiFixture fixture) : IClassFixture<MediaApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AUserBeyondTheirConcurrentUploadsIsRefusedWhileOthersStillUpload()
    {
        await using var service = await StartAsync(perUser: 2, total: 10);
        var before = await fixture.BucketContentsAsync();

        using (var first = await service.StallUploadAsync(LocalIssuer.Alice))
        using (var second = await service.StallUploadAsync(LocalIssuer.Alice))
        {
            await service.WaitForInProgressAsync(2);

            using var third = await service.UploadAsync(LocalIssuer.Alice);
            await AssertRefusedAsync(third, HttpStatusCode.TooManyRequests);
            Assert.Equal(1, service.Refusals("user_busy"));

            using var bobs = await service.UploadAsync(LocalIssuer.Bob);
            Assert.Equal(HttpStatusCode.Created, bobs.StatusCode);
            await DeleteAsync(service, LocalIssuer.Bob, bobs);
        }

        // The stalled uploads were cut off: their places are free again, and they left nothing behind.
        await service.WaitForInProgressAsync(0);
        using var again = await service.UploadAsync(LocalIssuer.Alice);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        await DeleteAsync(service, LocalIssuer.Alice, again);
        await WaitForBucketAsync(before);
    }

    [Fact]
    public async Task UploadsBeyondTheServicesLimitAreRefusedWithRetryAfter()
    {
        await using var service = await StartAsync(perUser: 5, total: 2);
        var before = await fixture.BucketContentsAsync();

        using (var alice = await service.StallUploadAsync(LocalIssuer.Alice))
        using (var bob = await service.StallUploadAsync(LocalIssuer.Bob))
        {
            await service.WaitForInProgressAsync(2);
            using var ada = await service.UploadAsync(LocalIssuer.Ada);
            await AssertRefusedAsync(ada, HttpStatusCode.ServiceUnavailable);
            Assert.Equal(1, service.Refusals("busy"));
        }

        await service.WaitForInProgressAsync(0);
        await WaitForBucketAsync(before);
    }

    [Fact]
    public async Task AClientThatTricklesAfterAFastStartIsStoppedAndLeavesNothing()
    {
        // Kestrel's own minimum rate averages over the body, so 300 KB fast followed by a byte every 100 ms would pass
        // it for an hour. The service's window demands 64 KiB every 500 ms.
        await using var service = await StartAsync(perUser: 4, total: 16, bytesPerSecond: 128 * 1024, window: "00:00:00.500");
        var bucketBefore = await fixture.BucketContentsAsync();
        var catalogBefore = await fixture.CatalogContentsAsync();

        using var trickle = await service.StallUploadAsync(LocalIssuer.Alice, firstBytes: 300 * 1024);
        using var trickling = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var sending = trickle.TrickleAsync(trickling.Token);

        var (status, body) = await trickle.ReadResponseAsync(TimeSpan.FromSeconds(20));
        await trickling.CancelAsync();
        await sending;

        Assert.Equal(408, status);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Upload too slow", problem.GetProperty("title").GetString());
        Assert.Contains("Nothing was stored", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, service.Refusals("too_slow"));
        await service.WaitForInProgressAsync(0);
        await WaitForBucketAsync(bucketBefore);
        Assert.Equal(catalogBefore, await fixture.CatalogContentsAsync());
    }

    [Fact]
    public async Task ASteadyClientAboveTheMinimumRateIsNotStopped()
    {
        // 1 KiB every 50 ms is 20 KiB/s against a minimum of 8 KiB/s, over two-second windows (wide enough for a busy
        // machine's timers): slow but steady passes, across several windows.
        await using var service = await StartAsync(perUser: 4, total: 16, bytesPerSecond: 8 * 1024, window: "00:00:02");
        using var steady = await service.StallUploadAsync(LocalIssuer.Alice, firstBytes: 4096, contentLength: 4096 + (100 * 1024));
        for (var i = 0; i < 100; i++)
        {
            await steady.SendAsync(TestMedia.JpegLike(1024, seed: i + 2), Ct);
            await Task.Delay(50, Ct);
        }

        await steady.SendAsync(Encoding.ASCII.GetBytes("\r\n--stall--\r\n"), Ct);
        var (status, body) = await steady.ReadResponseAsync(TimeSpan.FromSeconds(20));
        Assert.True(status == 201, $"Expected 201, got {status}: {body}");
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
        using var client = service.Client(await fixture.Issuer.TokenAsync(LocalIssuer.Alice));
        (await client.DeleteAsync($"/v3.0/media/{id}", Ct)).EnsureSuccessStatusCode();
    }

    private Task<RunningService> StartAsync(int perUser, int total, int bytesPerSecond = 1, string window = "00:10:00") =>
        Task.FromResult(RunningService.Start(fixture, perUser, total, bytesPerSecond, window));

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.False(string.IsNullOrWhiteSpace(JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()));
    }

    private async Task DeleteAsync(RunningService service, string user, HttpResponseMessage created)
    {
        using var client = service.Client(await fixture.Issuer.TokenAsync(user));
        (await client.DeleteAsync(created.Headers.Location, Ct)).EnsureSuccessStatusCode();
    }

    private async Task WaitForBucketAsync(IReadOnlyList<string> expected)
    {
        for (var i = 0; i < 200 && !(await fixture.BucketContentsAsync()).SequenceEqual(expected); i++)
        {
            await Task.Delay(50, Ct);
        }

        Assert.Equal(expected, await fixture.BucketContentsAsync());
    }
}
