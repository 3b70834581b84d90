using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Desirable.Gateway.Tests;

/// <summary>What the gateway adds at the edge: rate limits per user and per anonymous address, security headers, no server banner.</summary>
public sealed class ProtectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ABurstOverTheLimitGets429WithRetryAfterAndAnotherUserIsUnaffected()
    {
        await using var gateway = await GatewayOnKestrel.StartAsync(("RateLimits:PermitLimit", "5"), ("RateLimits:Window", "00:00:30"));
        // Alice and Bob call from the same address: the limit is per user, not per address.
        using var alice = await gateway.ClientFromAsync("127.0.0.1", LocalIssuer.Alice);
        using var bob = await gateway.ClientFromAsync("127.0.0.1", LocalIssuer.Bob);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var ok = await alice.GetAsync("/v3.0/media", Ct);
            statuses.Add(ok.StatusCode);
        }

        using var limited = await alice.GetAsync("/v3.0/media", Ct);
        using var other = await bob.GetAsync("/v3.0/media", Ct);
        using var health = await alice.GetAsync("/alive", Ct);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 30);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Too many requests", (await limited.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task AnonymousCallsAreLimitedPerAddress()
    {
        await using var gateway = await GatewayOnKestrel.StartAsync(("RateLimits:PermitLimit", "3"), ("RateLimits:Window", "00:00:30"));
        using var anonymous = await gateway.ClientFromAsync("127.0.0.3");
        using var neighbour = await gateway.ClientFromAsync("127.0.0.4");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await anonymous.GetAsync("/", Ct);
            statuses.Add(response.StatusCode);
        }

        using var fromElsewhere = await neighbour.GetAsync("/", Ct);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, fromElsewhere.StatusCode);
    }

    [Fact]
    public async Task OnlyTheGatewaysOwnHealthEndpointsAreFreeOfTheLimitNotThePathsBelowThem()
    {
        await using var gateway = await GatewayOnKestrel.StartAsync(("RateLimits:PermitLimit", "2"), ("RateLimits:Window", "00:00:30"));
        using var probe = await gateway.ClientFromAsync("127.0.0.5");
        using var prober = await gateway.ClientFromAsync("127.0.0.6");

        var health = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await probe.GetAsync(i % 2 == 0 ? "/health" : "/alive", Ct);
            health.Add(response.StatusCode);
        }

        // Below /health is the web app's, proxied like any page: it counts.
        var below = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await prober.GetAsync($"/health/{i}", Ct);
            below.Add(response.StatusCode);
        }

        Assert.All(health, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], below);
    }

    [Fact]
    public async Task TheWebAppsFrameworkFilesCountInAWindowOfTheirOwn()
    {
        await using var gateway = await GatewayOnKestrel.StartAsync(
            ("RateLimits:PermitLimit", "2"), ("RateLimits:AssetPermitLimit", "3"), ("RateLimits:Window", "00:00:30"));
        using var visitor = await gateway.ClientFromAsync("127.0.0.7");

        var files = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await visitor.GetAsync(i % 2 == 0 ? $"/_framework/file{i}.wasm" : $"/_content/package/file{i}.js", Ct);
            files.Add(response.StatusCode);
        }

        // The page and the API calls after a first load still have their whole window.
        var pages = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await visitor.GetAsync("/", Ct);
            pages.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], files);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], pages);
    }

    [Fact]
    public async Task MediaReadThroughSignedUrlsCountsInTheFilesWindowNotTheApis()
    {
        await using var gateway = await GatewayOnKestrel.StartAsync(
            ("RateLimits:PermitLimit", "2"), ("RateLimits:AssetPermitLimit", "3"), ("RateLimits:Window", "00:00:30"));
        using var visitor = await gateway.ClientFromAsync("127.0.0.8");

        // A gallery's thumbnails: <img> elements, no token, each with its item's signed URL.
        var thumbnails = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await visitor.GetAsync($"/v3.0/media/{Guid.NewGuid()}/variants/thumb?expires=1&sig=s{i}", Ct);
            thumbnails.Add(response.StatusCode);
        }

        // The page itself still has its whole window; a signature does not make other methods files.
        var pages = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await visitor.GetAsync("/", Ct);
            pages.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], thumbnails);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], pages);
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7", true)]
    [InlineData("192.0.2.7", "192.0.2.8", false)]
    public void AnonymousCallersCountByAddressAndIPv6ByItsSlash64(string first, string second, bool sameWindow)
    {
        static Protection.RateLimiting.Client Key(string address) => Protection.RateLimiting.PartitionKey(
            new Microsoft.AspNetCore.Http.DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse(address) } });

        Assert.Equal(sameWindow, Key(first) == Key(second));
    }

    [Theory]
    [InlineData("/", "script-src 'self' 'wasm-unsafe-eval'")]
    [InlineData("/v3.0/media", "default-src 'none'; frame-ancestors 'none'")]
    public async Task EveryResponseCarriesTheSecurityHeadersAndNoServerBanner(string path, string policy)
    {
        await using var gateway = await GatewayOnKestrel.StartAsync();
        using var client = await gateway.ClientFromAsync("127.0.0.1", LocalIssuer.Alice);

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("SAMEORIGIN", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains(policy, csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"), "the Server banner must not be sent");
    }
}
