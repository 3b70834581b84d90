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
        // 1 KiB every 50 ms is 20 KiB/s against a minimum of 8 KiB/s, with windows of 250 ms: slow but steady passes.
        await using var service = await StartAsync(perUser: 4, total: 16, bytesPerSecond: 8 * 1024, window: "00:00:00.250");
        using var steady = await service.StallUploadAsync(LocalIssuer.Alice, firstBytes: 4096, contentLength: 4096 + (40 * 1024));
        for (var i = 0; i < 40; i++)
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

    private async Task<RunningService> StartAsync(int perUser, int total, int bytesPerSecond = 1, string window = "00:10:00")
    {
        var factory = fixture.CreateFactory(fixture.BucketName, host => host
            .UseSetting("Uploads:MaxConcurrentUploadsPerUser", perUser.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Uploads:MaxConcurrentUploads", total.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Uploads:MinimumBytesPerSecond", bytesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Uploads:DataRateWindow", window));
        var port = LoopbackPort.Free();
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return new RunningService(factory, port, fixture.Issuer);
    }

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

    /// <summary>The service on a real port, with what the tests read from it.</summary>
    private sealed class RunningService : IAsyncDisposable
    {
        private readonly WebApplicationFactory<Program> _factory;
        private readonly int _port;
        private readonly LocalIssuer _issuer;
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _refusals = [];

        public RunningService(WebApplicationFactory<Program> factory, int port, LocalIssuer issuer)
        {
            _factory = factory;
            _port = port;
            _issuer = issuer;
            // Only this instance's meter: other tests' services run in the same process.
            var meters = factory.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "desirable.uploads.refused")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    lock (_refusals)
                    {
                        _refusals[(string)tag.Value!] = _refusals.GetValueOrDefault((string)tag.Value!) + value;
                    }
                }
            });
            _listener.Start();
        }

        public long Refusals(string reason)
        {
            lock (_refusals)
            {
                return _refusals.GetValueOrDefault(reason);
            }
        }

        public HttpClient Client(string token)
        {
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return client;
        }

        public async Task<HttpResponseMessage> UploadAsync(string user)
        {
            using var client = Client(await _issuer.TokenAsync(user));
            return await client.PostAsync("/v3.0/media", TestMedia.Form(("load.jpg", TestMedia.TinyJpeg)), Ct);
        }

        /// <summary>An upload that sends its head and <paramref name="firstBytes"/> of a file, then waits.</summary>
        public async Task<RawUpload> StallUploadAsync(string user, int firstBytes = 100 * 1024, int? contentLength = null)
        {
            var socket = new TcpClient();
            await socket.ConnectAsync(IPAddress.Loopback, _port, Ct);
            const string part = "--stall\r\nContent-Disposition: form-data; name=\"file\"; filename=\"stall.jpg\"\r\n\r\n";
            var head = Encoding.ASCII.GetBytes(
                "POST /v3.0/media HTTP/1.1\r\nHost: localhost\r\n" +
                $"Authorization: Bearer {await _issuer.TokenAsync(user)}\r\n" +
                "Content-Type: multipart/form-data; boundary=stall\r\n" +
                $"Content-Length: {part.Length + (contentLength ?? 10 * 1024 * 1024) + "\r\n--stall--\r\n".Length}\r\n\r\n" + part);
            var upload = new RawUpload(socket);
            await upload.SendAsync(head, Ct);
            await upload.SendAsync(TestMedia.JpegLike(firstBytes), Ct);
            return upload;
        }

        public async Task WaitForInProgressAsync(int expected)
        {
            var admission = _factory.Services.GetRequiredService<UploadAdmission>();
            for (var i = 0; i < 200 && admission.InProgress != expected; i++)
            {
                await Task.Delay(50, Ct);
            }

            Assert.Equal(expected, admission.InProgress);
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Dispose();
            await _factory.DisposeAsync();
        }
    }

    /// <summary>An HTTP/1.1 upload written by hand, so that it can stop or slow down anywhere.</summary>
    private sealed class RawUpload(TcpClient socket) : IDisposable
    {
        private readonly NetworkStream _stream = socket.GetStream();

        public async Task SendAsync(byte[] bytes, CancellationToken cancellationToken)
        {
            await _stream.WriteAsync(bytes, cancellationToken);
            await _stream.FlushAsync(cancellationToken);
        }

        /// <summary>A byte every 100 ms until cancelled or the server closes the connection.</summary>
        public async Task TrickleAsync(CancellationToken cancellationToken)
        {
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    await SendAsync([0x42], cancellationToken);
                    await Task.Delay(100, cancellationToken);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // Done, or the server hung up: both end the trickle.
            }
        }

        /// <summary>The status and body of the response (read to the end of its Content-Length).</summary>
        public async Task<(int Status, string Body)> ReadResponseAsync(TimeSpan timeout)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            limit.CancelAfter(timeout);
            var received = new List<byte>();
            var buffer = new byte[8192];
            while (true)
            {
                var text = Encoding.ASCII.GetString([.. received]);
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0 && Body(text[..end], text[(end + 4)..]) is { } body)
                {
                    return (int.Parse(text[9..12], System.Globalization.CultureInfo.InvariantCulture), body);
                }

                var read = await _stream.ReadAsync(buffer, limit.Token);
                Assert.True(read > 0, $"The connection closed before a whole response arrived: {text}");
                received.AddRange(buffer.AsSpan(0, read));
            }
        }

        // Kestrel sends problem details chunked; the bodies here are ASCII JSON.
        private static string? Body(string head, string rest)
        {
            var headers = head.Split("\r\n");
            if (headers.FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } length)
            {
                var bytes = int.Parse(length[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                return rest.Length >= bytes ? rest[..bytes] : null;
            }

            if (!rest.EndsWith("0\r\n\r\n", StringComparison.Ordinal))
            {
                return null;
            }

            var body = new StringBuilder();
            while (true)
            {
                var line = rest.IndexOf("\r\n", StringComparison.Ordinal);
                var size = Convert.ToInt32(rest[..line], 16);
                if (size == 0)
                {
                    return body.ToString();
                }

                body.Append(rest, line + 2, size);
                rest = rest[(line + 2 + size + 2)..];
            }
        }

        public void Dispose()
        {
            // A reset, not a graceful close: the server sees the client vanish mid-body.
            socket.Client.LingerState = new LingerOption(true, 0);
            socket.Dispose();
        }
    }
}
