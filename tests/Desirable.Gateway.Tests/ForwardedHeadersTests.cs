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
    public async Task BehindCloudFrontEachViewerHasAWindowOfItsOwnOnlyWithTheOriginSecret()
    {
        // The load balancer forwards for CloudFront's edge (one address for all its viewers); CloudFront names the viewer.
        var balancer = ThisMachinesOtherAddress();
        await using var gateway = await GatewayOnKestrel.StartAsync(
            ("RateLimits:PermitLimit", "1"), ("RateLimits:Window", "00:00:30"),
            ("Gateway:ForwardedHeaders:KnownNetworks:0", $"{balancer}/32"),
            ("Gateway:ForwardedHeaders:OriginSecret", "the-stage-secret"));
        const string Edge = "203.0.113.9";

        var first = await GetAsync(gateway, balancer, Edge, ("the-stage-secret", "198.51.100.1:50123"));
        var second = await GetAsync(gateway, balancer, Edge, ("the-stage-secret", "[2001:db8::7]:443"));
        var firstAgain = await GetAsync(gateway, balancer, Edge, ("the-stage-secret", "198.51.100.1:50999"));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], new[] { first, second, firstAgain });

        // Without the secret (or with a wrong one) the viewer header is someone's claim: the edge's window it is.
        var claimed = await GetAsync(gateway, balancer, Edge, ("a-guess", "198.51.100.3:1"));
        var claimedAgain = await GetAsync(gateway, balancer, Edge, (null, "198.51.100.4:1"));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], new[] { claimed, claimedAgain });
    }

    [Fact]
    public async Task TheOriginSecretNeverReachesTheServicesBehindTheGateway()
    {
        await using var gateway = await GatewayOnKestrel.StartAsync(("Gateway:ForwardedHeaders:OriginSecret", "the-stage-secret"));
        using var client = new HttpClient { BaseAddress = gateway.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add(Desirable.Contracts.EdgeHeaders.OriginSecret, "the-stage-secret");

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("backend saw /", await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("198.51.100.7:46532", "198.51.100.7")]
    [InlineData("2001:db8::1:46532", "2001:db8::1")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    public void CloudFrontsViewerAddressIsTheAddressBeforeThePort(string header, string expected)
    {
        Assert.True(Desirable.Gateway.Routing.ViewerAddress.TryParse(header, out var address));
        Assert.Equal(IPAddress.Parse(expected), address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an address:1")]
    [InlineData("198.51.100.7")]
    public void ANonsenseViewerAddressIsIgnored(string header) =>
        Assert.False(Desirable.Gateway.Routing.ViewerAddress.TryParse(header, out _));

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
    private static async Task<HttpStatusCode> GetAsync(GatewayOnKestrel gateway, IPAddress from, string forwardedFor, (string? Secret, string Viewer)? cloudFront = null)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://{from}:{gateway.Address.Port}/") };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (cloudFront is { } edge)
        {
            request.Headers.TryAddWithoutValidation(Desirable.Contracts.EdgeHeaders.ViewerAddress, edge.Viewer);
            if (edge.Secret is not null)
            {
                request.Headers.Add(Desirable.Contracts.EdgeHeaders.OriginSecret, edge.Secret);
            }
        }

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
