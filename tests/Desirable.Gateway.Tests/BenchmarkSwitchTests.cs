using System.Net;

namespace Desirable.Gateway.Tests;

/// <summary>
/// The switches the gateway benchmark uses to run this very gateway without its protections: they work there, and
/// nowhere else.
/// </summary>
public sealed class BenchmarkSwitchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Authentication")]
    [InlineData("RateLimiting")]
    [InlineData("SecurityHeaders")]
    [InlineData("Cors")]
    public async Task SwitchingAProtectionOffOutsideTheBenchmarkStopsTheGatewayWithTheReason(string protection)
    {
        // The test host runs the gateway in Development, where a developer might be tempted: refused there too.
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var gateway = await GatewayOnKestrel.StartAsync(($"Gateway:Protections:{protection}", "false"));
        });

        var reason = Reasons(failure);
        Assert.Contains("Gateway:Protections turns a protection off, which only the gateway benchmark may do", reason, StringComparison.Ordinal);
        Assert.Contains("this gateway runs in 'Development'", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InTheBenchmarkTheProtectionsOffLetAnAnonymousCallThroughWithoutTheirHeaders()
    {
        await using var gateway = await GatewayOnKestrel.StartAsync(
            ("environment", "Benchmark"),
            ("Gateway:Protections:Authentication", "false"), ("Gateway:Protections:RateLimiting", "false"),
            ("Gateway:Protections:SecurityHeaders", "false"), ("Gateway:Protections:Cors", "false"));
        using var anonymous = await gateway.ClientFromAsync("127.0.0.1");

        using var response = await anonymous.GetAsync("/v3.0/media", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, gateway.BackendRequests);
        Assert.False(response.Headers.Contains("X-Content-Type-Options"));
    }

    [Fact]
    public async Task InTheBenchmarkWithEveryProtectionOnTheGatewayIsTheGateway()
    {
        await using var gateway = await GatewayOnKestrel.StartAsync(("environment", "Benchmark"));
        using var anonymous = await gateway.ClientFromAsync("127.0.0.1");

        using var response = await anonymous.GetAsync("/v3.0/media", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, gateway.BackendRequests);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    private static string Reasons(Exception failure)
    {
        var reasons = new List<string>();
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            reasons.Add(e.Message);
        }

        return string.Join(" | ", reasons);
    }
}
