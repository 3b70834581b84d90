using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Desirable.Gateway.Tests;

/// <summary>
/// Behind a load balancer the caller is the one the balancer forwards for, but only when the balancer's network is
/// configured; everyone else's X-Forwarded-For is ignored.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FromAConfiguredNetworkEachForwardedCallerHasAWindowOfItsOwn()
    {
        var balancer = ThisMachinesOtherAddress();
        await using var gateway = await GatewayOnKestrel.StartAsync(
            ("RateLimits:PermitLimit", "1"), ("RateLimits:Window", "00:00:30"),
            ("Gateway:ForwardedHeaders:KnownNetworks:0", $"{balancer}/32"));

        var first = await GetAsync(gateway, balancer, forwardedFor: "198.51.100.1");
        var second = await GetAsync(gateway, balancer, forwardedFor: "198.51.100.2");
        var firstAgain = await GetAsync(gateway, balancer, forwardedFor: "198.51.100.1");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], new[] { first, second, firstAgain });
    }

    [Fact]
    public async Task FromAnyOtherNetworkTheForwardedForHeaderIsIgnored()
    {
        var stranger = ThisMachinesOtherAddress();
        await using var gateway = await GatewayOnKestrel.StartAsync(("RateLimits:PermitLimit", "1"), ("RateLimits:Window", "00:00:30"));

        var first = await GetAsync(gateway, stranger, forwardedFor: "198.51.100.1");
        // Claiming to forward for someone else does not buy a fresh window.
        var second = await GetAsync(gateway, stranger, forwardedFor: "198.51.100.2");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], new[] { first, second });
    }

    [Fact]
    public async Task ANetworkThatIsNotCidrStopsTheGatewayWithTheReason()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var gateway = await GatewayOnKestrel.StartAsync(("Gateway:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33"));
        });

        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            if (e.Message.Contains("Gateway:ForwardedHeaders:KnownNetworks has '10.0.0.0/33', which is not a network in CIDR notation", StringComparison.Ordinal))
            {
                return;
            }
        }

        Assert.Fail($"The start failed without the reason: {failure}");
    }

    // Requests from this machine's own non-loopback address, so they do not come from the always-trusted loopback.
    private static async Task<HttpStatusCode> GetAsync(GatewayOnKestrel gateway, IPAddress from, string forwardedFor)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://{from}:{gateway.Address.Port}/") };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private static IPAddress ThisMachinesOtherAddress()
    {
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (address is null)
        {
            Assert.Skip("This machine has no address but loopback to play the load balancer from.");
        }

        return address;
    }
}
