using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Desirable.Gateway.Tests;

/// <summary>
/// The gateway on real Kestrel (so client addresses are real), validating tokens of the real local issuer, in front
/// of a small real backend that answers every path and counts what reaches it, standing in for the media service
/// and the web app, which these tests are not about.
/// </summary>
public sealed class GatewayOnKestrel : IAsyncDisposable
{
    private readonly WebApplication _backend;
    private readonly WebApplicationFactory<Program> _gateway;

    private readonly StrongBox<int> _backendRequests;

    private GatewayOnKestrel(WebApplication backend, WebApplicationFactory<Program> gateway, Uri address, LocalIssuer issuer, StrongBox<int> backendRequests)
    {
        _backend = backend;
        _gateway = gateway;
        Address = address;
        Issuer = issuer;
        _backendRequests = backendRequests;
    }

    public Uri Address { get; }

    public LocalIssuer Issuer { get; }

    /// <summary>How many requests the gateway let through to the backend.</summary>
    public int BackendRequests => _backendRequests.Value;

    public static Task<GatewayOnKestrel> StartAsync(params (string Key, string Value)[] settings) => StartAsync(_ => { }, settings);

    /// <summary>Also lets a test observe the gateway from inside, through <paramref name="services"/>.</summary>
    public static async Task<GatewayOnKestrel> StartAsync(Action<IServiceCollection> services, params (string Key, string Value)[] settings)
    {
        var issuer = await LocalIssuer.GetAsync();
        var backendRequests = new StrongBox<int>();
        var backendPort = LoopbackPort.Free();
        var backend = WebApplication.CreateSlimBuilder();
        backend.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, backendPort));
        var app = backend.Build();
        app.Run(context =>
        {
            Interlocked.Increment(ref backendRequests.Value);
            // Says whether the origin secret got through, which it must not.
            return context.Response.WriteAsync($"backend saw {context.Request.Path}" +
                (context.Request.Headers.ContainsKey(Desirable.Contracts.EdgeHeaders.OriginSecret) ? " with the origin secret" : ""));
        });
        await app.StartAsync();

        // A port free a moment ago may be taken before Kestrel binds it (test projects run side by side, and the
        // gateway listens on every address): try another.
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPort.Free();
            var gateway = Gateway(port, issuer, backendPort, services, settings);
            try
            {
                gateway.StartServer();
                return new GatewayOnKestrel(app, gateway, new Uri($"http://127.0.0.1:{port}/"), issuer, backendRequests);
            }
            catch (IOException e) when (attempt < 5 && e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                await gateway.DisposeAsync();
            }
        }
    }

    private static WebApplicationFactory<Program> Gateway(int port, LocalIssuer issuer, int backendPort, Action<IServiceCollection> services, (string Key, string Value)[] settings)
    {
        var gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("services:media:http:0", $"http://127.0.0.1:{backendPort}");
            host.UseSetting("services:web:http:0", $"http://127.0.0.1:{backendPort}");
            host.UseSetting("Identity:Authority", issuer.Authority);
            host.UseSetting("Identity:Audience", LocalIssuer.Audience);
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }

            host.ConfigureServices(services);
        });
        gateway.UseKestrel(o => o.Listen(IPAddress.Any, port));
        return gateway;
    }

    /// <summary>
    /// A client whose connections come from <paramref name="localAddress"/> (any 127.x.y.z is loopback on Linux),
    /// calling as <paramref name="user"/> (a seeded subject) or anonymously.
    /// </summary>
    public async Task<HttpClient> ClientFromAsync(string localAddress, string? user = null)
    {
        var client = ClientFrom(localAddress);
        client.DefaultRequestHeaders.Authorization = user is null ? null : await Issuer.BearerAsync(user);
        return client;
    }

    private HttpClient ClientFrom(string localAddress) => new(new SocketsHttpHandler
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
