using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Desirable.MediaService.Uploads;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Desirable.MediaService.Tests.Uploads;

/// <summary>The service on a real port, with what the tests read from it.</summary>
internal sealed class RunningService : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly WebApplicationFactory<Program> _factory;
    private readonly int _port;
    private readonly LocalIssuer _issuer;
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _refusals = [];

    /// <summary>The media service on a free loopback port with these upload limits.</summary>
    public static RunningService Start(Infrastructure.MediaApiFixture fixture, int perUser, int total, long bytesPerSecond = 1, string window = "00:10:00")
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var factory = fixture.CreateFactory(fixture.BucketName, host => host
            .UseSetting("Uploads:MaxConcurrentUploadsPerUser", perUser.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Uploads:MaxConcurrentUploads", total.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Uploads:MinimumBytesPerSecond", bytesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Uploads:DataRateWindow", window)
            // The subject is slow clients, not slow storage: five hundred streams from the emulator (one Node process on
            // cores shared with the other test projects) can keep a normal put waiting past the 10 s default.
            .UseSetting("Storage:RequestTimeout", "00:01:00"));
        var port = LoopbackPort.Free();
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return new RunningService(factory, port, fixture.Issuer);
    }

    public int Port => _port;

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
