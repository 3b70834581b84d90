using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>
    /// JwtBearer validates a token once; later requests with the very same token reuse that result, and nothing
    /// authenticates them a second time in front of the gateway's own middleware. A token changed in one character is
    /// validated (and rejected) afresh.
    /// </summary>
    [Fact]
    public async Task JwtBearerValidatesATokenOnceAndOnlyThatExactTokenIsReused()
    {
        var validations = new StrongBox<int>();
        await using var gateway = await GatewayOnKestrel.StartAsync(services => services.PostConfigure<JwtBearerOptions>(
            JwtBearerDefaults.AuthenticationScheme,
            options =>
            {
                var received = options.Events.OnMessageReceived;
                options.Events.OnMessageReceived = context =>
                {
                    Interlocked.Increment(ref validations.Value);
                    return received(context);
                };
            }));
        using var client = await gateway.ClientFromAsync("127.0.0.1", "auth0|alice");
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("/v3.0/media", Ct);
            statuses.Add(response.StatusCode);
        }

        var afterReuse = validations.Value;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..^1] + (token[^1] == 'A' ? 'B' : 'A'));
        using var changed = await client.GetAsync("/v3.0/media", Ct);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(1, afterReuse);
        Assert.Equal(HttpStatusCode.Unauthorized, changed.StatusCode);
        Assert.Equal(2, validations.Value);
        Assert.Equal(3, gateway.BackendRequests);
    }

    [Fact]
    public async Task SignedReadsOfBytesAndVariantsPassWithoutATokenForTheMediaServiceToCheckAndNothingElseDoes()
    {
        await using var gateway = await GatewayOnKestrel.StartAsync();
        using var client = await gateway.ClientFromAsync("127.0.0.1");
        var id = Guid.NewGuid();

        using var content = await client.GetAsync($"/v3.0/media/{id}/content?expires=1&sig=abc", Ct);
        using var variant = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v3.0/media/{id}/variants/thumb?expires=1&sig=abc"), Ct);
        using var unsigned = await client.GetAsync($"/v3.0/media/{id}/content", Ct);
        using var metadata = await client.GetAsync($"/v3.0/media/{id}?sig=abc", Ct);
        using var delete = await client.DeleteAsync($"/v3.0/media/{id}/content?sig=abc", Ct);

        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.Equal($"backend saw /v3.0/media/{id}/content", await content.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, variant.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, metadata.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);
        Assert.Equal(2, gateway.BackendRequests);
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
