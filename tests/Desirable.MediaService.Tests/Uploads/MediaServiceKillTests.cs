using System.Net;
using System.Net.Sockets;
using System.Text;
using Desirable.Hosting.Aws;
using Desirable.MediaService.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Desirable.MediaService.Tests.Uploads;

/// <summary>
/// A fault of the fault suite: the media service killed (SIGKILL) in the middle of an upload, with a multipart upload
/// open in S3. Nothing reaches the catalog or the job queue, no object appears, and what is left, the open upload, is
/// exactly what the bucket's abort-incomplete-multipart rule removes (on the emulators, the AppHost's
/// <see cref="AbandonedUploads"/> sweep, run here as it runs there).
/// </summary>
public sealed class MediaServiceKillTests(MediaApiFixture fixture) : IClassFixture<MediaApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AMediaServiceKilledMidUploadLeavesOnlyAnOpenUploadThatTheLifecycleSweepRemoves()
    {
        var bucketBefore = await fixture.BucketContentsAsync();
        var catalogBefore = await fixture.CatalogContentsAsync();
        var port = LoopbackPort.Free();
        using var service = ServiceProcess.Start("Desirable.MediaService", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ConnectionStrings:catalog"] = fixture.CatalogConnectionString,
            ["Storage:BucketName"] = fixture.BucketName,
            ["Storage:ForcePathStyle"] = "true",
            ["Storage:PartSizeBytes"] = MediaApiFixture.PartSizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Uploads:MaxFileSizeBytes"] = MediaApiFixture.MaxFileSizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Processing:QueueName"] = fixture.QueueName,
            ["Identity:Authority"] = fixture.Issuer.Authority,
            ["Identity:Audience"] = LocalIssuer.Audience,
        });
        await service.WaitUntilAliveAsync(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromSeconds(30), Ct);

        // 7 of an announced 11 MiB: the first 5 MiB part is in S3, inside an open multipart upload, when it dies.
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, port, Ct);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /v3.0/media HTTP/1.1\r\nHost: localhost\r\n" +
            $"Authorization: Bearer {await fixture.Issuer.TokenAsync(LocalIssuer.Alice)}\r\n" +
            $"Content-Type: multipart/form-data; boundary=cut\r\nContent-Length: {11 * 1024 * 1024}\r\n\r\n" +
            "--cut\r\nContent-Disposition: form-data; name=\"file\"; filename=\"killed.jpg\"\r\n\r\n"), Ct);
        await stream.WriteAsync(TestMedia.JpegLike(7 * 1024 * 1024), Ct);
        await WaitUntilAsync(async () => (await fixture.BucketContentsAsync()).Except(bucketBefore).Any(k => k.StartsWith("open multipart", StringComparison.Ordinal)),
            "The service never opened a multipart upload, so killing it proves nothing.");
        service.Kill();

        Assert.Equal(catalogBefore, await fixture.CatalogContentsAsync());
        var left = (await fixture.BucketContentsAsync()).Except(bucketBefore).ToList();
        Assert.All(left, k => Assert.StartsWith("open multipart", k, StringComparison.Ordinal));
        Assert.Equal(0, await QueueDepthAsync());

        // The sweep the AppHost runs on the emulators (S3 applies the same rule itself), with the rule's age passed.
        using var s3 = EmulatorClients.S3((await SharedFauxqs.GetAsync()).ServiceUrl);
        var pending = AbandonedUploads.ReadFauxqsDirectory(SharedFauxqs.S3StorageDirectory, fixture.BucketName)
            .Where(u => u.Key.Contains("/original", StringComparison.Ordinal)).ToList();
        Assert.Equal(1, await AbandonedUploads.AbortStartedBeforeAsync(s3, pending, DateTimeOffset.UtcNow.AddMinutes(1), NullLogger.Instance, Ct));
        Assert.Equal(bucketBefore, await fixture.BucketContentsAsync());
    }

    private async Task<int> QueueDepthAsync()
    {
        using var sqs = EmulatorClients.Sqs((await SharedFauxqs.GetAsync()).ServiceUrl);
        var url = (await sqs.GetQueueUrlAsync(fixture.QueueName, Ct)).QueueUrl;
        return await QueueMessages.DepthAsync(sqs, url, Ct);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail(failure);
    }
}
