using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Desirable.MediaService.Tests.Infrastructure;

namespace Desirable.MediaService.Tests.Uploads;

/// <summary>
/// The slow-clients suite: 500 uploads that trickle and 500 downloads that never read, at once, against the media
/// service on real Kestrel with its default limits per user (4) and in total (16). The service's memory stays under a
/// bound (every admitted upload holds two 5 MiB parts here; every reader a few buffers), the trickles are cut off by the
/// minimum data rate, the readers by the service's download rate, and meanwhile another user's upload goes through.
/// Alone, not beside other tests: its thousand sockets would slow their timers, and their work would blur its figures.
/// </summary>
[Collection(nameof(SlowClientTests))]
public sealed class SlowClientTests(MediaApiFixture fixture) : IClassFixture<MediaApiFixture>
{
    private const int Trickles = 500;
    private const int Readers = 500;
    private const int ReadableBytes = 8 * 1024 * 1024;

    /// <summary>Growth of the test process's resident set allowed during the attack (service and clients together).</summary>
    private const long BoundBytes = 400L * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FiveHundredTricklingUploadsAndFiveHundredSlowReadersStayUnderTheMemoryBoundAndANormalUploadGoesThrough()
    {
        await using var service = RunningService.Start(fixture, perUser: 4, total: 16, bytesPerSecond: 8 * 1024, window: "00:00:02");
        var aliceToken = await fixture.Issuer.TokenAsync(LocalIssuer.Alice);
        var adaToken = await fixture.Issuer.TokenAsync(LocalIssuer.Ada);
        using var alice = service.Client(aliceToken);
        // Larger than what the kernel's socket buffers hold, so a reader that stops reading blocks the service's writes.
        var readable = await UploadAsync(alice, ReadableBytes, "read-me.jpg");
        var bucketBefore = await fixture.BucketContentsAsync();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = Resident();
        using var sampling = new CancellationTokenSource();
        var peak = baseline;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Resident());
                await Task.Delay(20, CancellationToken.None);
            }
        }, CancellationToken.None);

        // Connections open a hundred at a time, as a botnet's would arrive; Kestrel's accept backlog is 512.
        using var opening = new SemaphoreSlim(100);
        var trickles = Enumerable.Range(0, Trickles)
            .Select(i => TrickleAsync(service.Port, i % 2 == 0 ? aliceToken : adaToken, opening)).ToList();
        var readers = Enumerable.Range(0, Readers).Select(_ => ReadSlowlyAsync(service.Port, aliceToken, readable, opening)).ToList();

        // A normal user uploads in the middle of it.
        await Task.Delay(1000, Ct);
        var watch = Stopwatch.StartNew();
        using var bob = service.Client(await fixture.Issuer.TokenAsync(LocalIssuer.Bob));
        var bobs = await UploadAsync(bob, 2 * 1024 * 1024, "normal.jpg");
        var bobSeconds = watch.Elapsed.TotalSeconds;

        var statuses = await Task.WhenAll(trickles);
        var readerEnds = await Task.WhenAll(readers);
        await sampling.CancelAsync();
        await sampler;

        var growth = peak - baseline;
        TestContext.Current.SendDiagnosticMessage(
            $"Slow clients: peak growth {growth / 1048576.0:F0} MiB (bound {BoundBytes / 1048576} MiB); Bob's 2 MiB upload took {bobSeconds:F1} s; " +
            $"uploads: {string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Count()} x {g.Key}"))}; " +
            $"readers cut off: {readerEnds.Count(e => e)} of {Readers}.");
        Assert.True(growth < BoundBytes, $"The process grew by {growth / 1048576.0:F0} MiB under the attack.");

        // At most the two users' four places each were taken; every other trickle was refused at once; the admitted
        // ones were stopped for their rate.
        Assert.InRange(statuses.Count(s => s == 408), 1, 8);
        Assert.Equal(Trickles - statuses.Count(s => s == 408), statuses.Count(s => s == 429));
        Assert.True(readerEnds.All(e => e), $"Only {readerEnds.Count(e => e)} of {Readers} readers that never read were cut off.");

        // Nothing of the trickles stayed behind: no object, no open upload; only Bob's upload was added.
        await WaitForAsync(async () => (await fixture.BucketContentsAsync()).Count == bucketBefore.Count + 1);
        Assert.Equal(bucketBefore.Append(Desirable.Media.Storage.MediaObjectKeys.Original(bobs)).Order(StringComparer.Ordinal), await fixture.BucketContentsAsync());
        foreach (var id in new[] { readable, bobs })
        {
            (await alice.DeleteAsync($"/v3.0/media/{id}", Ct)).Dispose();
            (await bob.DeleteAsync($"/v3.0/media/{id}", Ct)).Dispose();
        }
    }

    /// <summary>Sends its head and 64 KiB, then a byte every 250 ms; returns the status the service answers with.</summary>
    private static async Task<int> TrickleAsync(int port, string token, SemaphoreSlim opening)
    {
        using var socket = await ConnectAsync(new TcpClient(), port, opening);
        var stream = socket.GetStream();
        const string part = "--t\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.jpg\"\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /v3.0/media HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n" +
            $"Content-Type: multipart/form-data; boundary=t\r\nContent-Length: {part.Length + (4 * 1024 * 1024)}\r\n\r\n{part}"), Ct);
        await stream.WriteAsync(TestMedia.JpegLike(64 * 1024), Ct);

        var answer = ReadStatusAsync(stream);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!answer.IsCompleted && DateTime.UtcNow < deadline)
        {
            try
            {
                await stream.WriteAsync(new byte[] { 0x42 }, Ct);
            }
            catch (IOException)
            {
                break;
            }

            await Task.WhenAny(answer, Task.Delay(250, Ct));
        }

        return await answer.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    /// <summary>Asks for an item's content, reads 1 KiB and stops reading; true once the service has cut it off.</summary>
    private static async Task<bool> ReadSlowlyAsync(int port, string token, Guid id, SemaphoreSlim opening)
    {
        using var socket = await ConnectAsync(new TcpClient { ReceiveBufferSize = 4096 }, port, opening);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /v3.0/media/{id}/content HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n\r\n"), Ct);
        var buffer = new byte[1024];
        await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, Ct);

        // Not reading any more: the service must give up on this client (Kestrel's minimum response rate, 240 B/s after
        // a grace of 5 s) rather than hold its buffers and its storage stream for ever.
        await Task.Delay(TimeSpan.FromSeconds(10), Ct);
        long total = buffer.Length;
        try
        {
            var drain = new byte[64 * 1024];
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            limit.CancelAfter(TimeSpan.FromSeconds(20));
            int read;
            while (total < ReadableBytes && (read = await stream.ReadAsync(drain, limit.Token)) > 0)
            {
                total += read;
            }
        }
        catch (IOException)
        {
            // Reset by the service.
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            return false;
        }

        // Cut off: the connection ended before the whole body arrived.
        return total < ReadableBytes;
    }

    /// <summary>Connects, at most as many at a time as <paramref name="opening"/> lets through.</summary>
    private static async Task<TcpClient> ConnectAsync(TcpClient socket, int port, SemaphoreSlim opening)
    {
        await opening.WaitAsync(Ct);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, Ct);
            return socket;
        }
        finally
        {
            opening.Release();
        }
    }

    private static async Task<int> ReadStatusAsync(NetworkStream stream)
    {
        var buffer = new byte[12];
        try
        {
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, Ct);
            return read == buffer.Length ? int.Parse(Encoding.ASCII.GetString(buffer, 9, 3), System.Globalization.CultureInfo.InvariantCulture) : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task<Guid> UploadAsync(HttpClient client, int size, string name)
    {
        using var form = TestMedia.Form((name, TestMedia.JpegLike(size, seed: size)));
        using var response = await client.PostAsync("/v3.0/media", form, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Upload failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    private static long Resident()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(50, Ct);
        }
    }
}

[CollectionDefinition(nameof(SlowClientTests), DisableParallelization = true)]
public sealed class SlowClientsRunAlone;
