using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;

namespace Desirable.AppHost.Tests;

/// <summary>
/// Embedded mode keeps its state in the data folder: a second AppHost run sees the first run's media, and the
/// local issuer signs with the same key. (A token itself cannot be carried over here: the tests' AppHosts get new
/// ports every run, and the issuer's URL is part of the token.)
/// </summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("desirable-restart-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MediaAndTheIssuersKeyOutliveARestart()
    {
        var content = TestMedia.JpegLike(300_000, seed: 7);

        string id;
        string signingKeys;
        await using (var first = await EmbeddedAppHost.StartAsync(_data))
        {
            signingKeys = await SigningKeyIdsAsync(first);
            using var gateway = first.CreateHttpClient("gateway", await first.TokenAsync(SignedInClients.Alice));
            using var upload = await gateway.PostAsync("/v3.0/media", TestMedia.Form(("kept.jpg", content)), Ct);
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
            id = (await upload.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        }

        await using var second = await EmbeddedAppHost.StartAsync(_data);
        Assert.Equal(signingKeys, await SigningKeyIdsAsync(second));
        using var client = second.CreateHttpClient("gateway", await second.TokenAsync(SignedInClients.Alice));
        var list = await client.GetFromJsonAsync<JsonElement>("/v3.0/media", Ct);
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        Assert.Equal(content, await client.GetByteArrayAsync($"/v3.0/media/{id}/content", Ct));
    }

    private static async Task<string> SigningKeyIdsAsync(DistributedApplication app)
    {
        using var identity = app.CreateHttpClient("identity");
        var discovery = await identity.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration", Ct);
        var jwks = await identity.GetFromJsonAsync<JsonElement>(new Uri(discovery.GetProperty("jwks_uri").GetString()!).PathAndQuery, Ct);
        return string.Join(",", jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).Order(StringComparer.Ordinal));
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
