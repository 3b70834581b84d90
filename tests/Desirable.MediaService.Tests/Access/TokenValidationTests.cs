using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Desirable.MediaService.Tests.Infrastructure;

namespace Desirable.MediaService.Tests.Access;

/// <summary>The media service validates tokens itself (defense in depth): every forged token is a 401 problem.</summary>
public sealed class TokenValidationTests(MediaApiFixture fixture) : IClassFixture<MediaApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Attacks => [.. TokenForge.Attacks];

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task AForgedTokenIsRejectedWith401AndChangesNothing(string attack)
    {
        var catalogBefore = await fixture.CatalogContentsAsync();
        var bucketBefore = await fixture.BucketContentsAsync();

        foreach (var (method, path) in new[] { (HttpMethod.Get, "/v3.0/media"), (HttpMethod.Post, "/v3.0/media") })
        {
            using var response = await fixture.SendAsync(await TokenForge.ForgeAsync(fixture.Issuer, attack), method, path, Ct);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.Single().Scheme, StringComparison.Ordinal);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(401, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetInt32());
        }

        Assert.Equal(catalogBefore, await fixture.CatalogContentsAsync());
        Assert.Equal(bucketBefore, await fixture.BucketContentsAsync());
    }

    /// <summary>The control: made exactly like the forgeries, so they fail only for what each gets wrong.</summary>
    [Fact]
    public async Task ATokenMadeTheSameWayButCorrectIsAccepted()
    {
        using var response = await fixture.SendAsync(await TokenForge.ForgeAsync(fixture.Issuer, TokenForge.Valid), HttpMethod.Get, "/v3.0/media", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
