using System.Net;
using System.Net.Sockets;

namespace Desirable.Testing;

/// <summary>
/// A stand-in for a service that accepts connections and reads requests but never answers: what a client meets behind
/// a proxy whose backend is gone (Aspire's proxy in front of a stopped emulator), or at an endpoint that stopped
/// responding. Only a client's own timeouts get it out.
/// </summary>
public sealed class SilentEndpoint : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Task _accepting;

    public SilentEndpoint()
    {
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    /// <summary>How many connections were opened to it.</summary>
    public int Connections
    {
        get
        {
            lock (_connections)
            {
                return _connections.Count;
            }
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var connection = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_connections)
                {
                    _connections.Add(connection);
                }

                _ = DrainAsync(connection);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    // Reads what is sent, so that the client's request body goes out in full and only the answer is missing.
    private async Task DrainAsync(TcpClient connection)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            var stream = connection.GetStream();
            while (await stream.ReadAsync(buffer, _stop.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_connections)
        {
            _connections.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
    }
}
