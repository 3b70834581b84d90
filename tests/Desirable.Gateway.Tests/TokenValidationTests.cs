using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Desirable.Gateway.Tests;

/// <summary>The edge rejects every forged token with a 401 problem before anything reaches the media service.</summary>
public sealed class TokenValidationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Attacks => [.. TokenForge.Attacks];

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task AForgedTokenIsRejectedAtTheEdge(string attack)
    {
        await using var gateway = await GatewayOnKestrel.StartAsync();
        using var client = await gateway.ClientFromAsync("127.0.0.1");
        var token = await TokenForge.ForgeAsync(gateway.Issuer, attack);
        client.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);

        using var list = await client.GetAsync("/v3.0/media", Ct);
        using var upload = await client.PostAsync("/v3.0/media", new ByteArrayContent([1, 2, 3]), Ct);

        foreach (var response in new[] { list, upload })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(401, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetInt32());
        }

        Assert.Equal(0, gateway.BackendRequests);
    }

    /// <summary>The control: made like the forgeries, so each of them fails only for what it gets wrong.</summary>
    [Fact]
    public async Task ACorrectTokenMadeTheSameWayPassesThrough()
    {
        await using var gateway = await GatewayOnKestrel.StartAsync();
        using var client = await gateway.ClientFromAsync("127.0.0.1");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenForge.ForgeAsync(gateway.Issuer, TokenForge.Valid));

        using var response = await client.GetAsync("/v3.0/media", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, gateway.BackendRequests);
    }

    [Fact]
    public async Task TheWebAppsPagesNeedNoToken()
    {
        await using var gateway = await GatewayOnKestrel.StartAsync();
        using var client = await gateway.ClientFromAsync("127.0.0.1");

        using var response = await client.GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
