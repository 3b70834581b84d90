using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Desirable.Gateway.Tests;

/// <summary>
/// The gateway on real Kestrel (so client addresses are real) in front of a small real backend that answers every
/// path, standing in for the media service and the web app, which these tests are not about.
/// </summary>
public sealed class GatewayOnKestrel : IAsyncDisposable
{
    private readonly WebApplication _backend;
    private readonly WebApplicationFactory<Program> _gateway;

    private GatewayOnKestrel(WebApplication backend, WebApplicationFactory<Program> gateway, Uri address)
    {
        _backend = backend;
        _gateway = gateway;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<GatewayOnKestrel> StartAsync(params (string Key, string Value)[] settings)
    {
        var backendPort = LoopbackPort.Free();
        var backend = WebApplication.CreateSlimBuilder();
        backend.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, backendPort));
        var app = backend.Build();
        app.Run(context => context.Response.WriteAsync($"backend saw {context.Request.Path}"));
        await app.StartAsync();

        var port = LoopbackPort.Free();
        var gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("services:media:http:0", $"http://127.0.0.1:{backendPort}");
            host.UseSetting("services:web:http:0", $"http://127.0.0.1:{backendPort}");
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }
        });
        gateway.UseKestrel(o => o.Listen(IPAddress.Any, port));
        gateway.StartServer();
        return new GatewayOnKestrel(app, gateway, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>A client whose connections come from <paramref name="localAddress"/> (any 127.x.y.z is loopback on Linux).</summary>
    public HttpClient ClientFrom(string localAddress) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = Address };

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }
}
