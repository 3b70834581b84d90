using System.Net.Sockets;
using System.Text;

namespace Desirable.MediaService.Tests.Uploads;

/// <summary>An HTTP/1.1 upload written by hand, so that it can stop or slow down anywhere.</summary>
internal sealed class RawUpload(TcpClient socket) : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
