using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Desirable.MediaService.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Desirable.MediaService.Tests.Access;

/// <summary>
/// Signed URLs of an item's bytes and variants: they open exactly that item and target, without a token, until they
/// expire; a deleted item's answer 404. The service runs in-process on the real fauxqs and SQLite file, with its clock
/// in the test's hands.
/// </summary>
public sealed class SignedUrlTests : IClassFixture<MediaApiFixture>, IAsyncDisposable
{
    private readonly MediaApiFixture _fixture;
    private readonly Clock _clock = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly WebApplicationFactory<Program> _factory;

    public SignedUrlTests(MediaApiFixture fixture)
    {
        _fixture = fixture;
        _factory = fixture.CreateFactory(fixture.BucketName, host => host
            .UseSetting("SignedUrls:Secret", "a-test-secret-of-more-than-thirty-two-characters")
            .ConfigureServices(services => services.AddSingleton<TimeProvider>(_clock)));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASignedUrlOpensTheItemsBytesWithoutATokenWithRangesAndHead()
    {
        var (_, urls) = await UploadAsync();
        using var anonymous = Anonymous();

        using var whole = await anonymous.GetAsync(urls.Content, Ct);
        using var range = new HttpRequestMessage(HttpMethod.Get, urls.Content) { Headers = { Range = new RangeHeaderValue(2, 9) } };
        using var part = await anonymous.SendAsync(range, Ct);
        using var head = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, urls.Content), Ct);

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(TestMedia.TinyJpeg, await whole.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(TestMedia.TinyJpeg[2..10], await part.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task ASignatureOpensNothingButItsItemAndTarget()
    {
        var (id, urls) = await UploadAsync();
        var (other, _) = await UploadAsync();
        var query = urls.Content[urls.Content.IndexOf('?', StringComparison.Ordinal)..];
        var signature = query[(query.IndexOf("sig=", StringComparison.Ordinal) + 4)..];
        using var anonymous = Anonymous();

        foreach (var forged in new[]
        {
            $"/v3.0/media/{other}/content{query}",                                   // another item's bytes
            $"/v3.0/media/{id}/variants/thumb{query}",                                // another target of the same item
            urls.Content.Replace("sig=" + signature, "sig=" + Flip(signature), StringComparison.Ordinal), // a changed signature
            urls.Content.Replace("expires=", "expires=1", StringComparison.Ordinal),   // a later expiry
            $"/v3.0/media/{id}/content",                                              // none at all
        })
        {
            using var response = await anonymous.GetAsync(forged, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{forged} answered {(int)response.StatusCode}.");
        }
    }

    [Fact]
    public async Task ASignedUrlStopsAtItsExpiryAndTheSameOneIsHandedOutUntilHalfItsLifetime()
    {
        var (id, urls) = await UploadAsync();
        using var anonymous = Anonymous();

        _clock.Advance(TimeSpan.FromMinutes(7));
        var later = (await ReadAsync(id)).Urls;
        _clock.Advance(TimeSpan.FromMinutes(1));
        var newer = (await ReadAsync(id)).Urls;
        _clock.Advance(urls.ExpiresAt - _clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        using var expired = await anonymous.GetAsync(urls.Content, Ct);
        using var fresh = await anonymous.GetAsync(newer.Content, Ct);

        Assert.Equal(urls.Content, later.Content);
        Assert.NotEqual(urls.Content, newer.Content);
        Assert.InRange(urls.ExpiresAt - new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(7.5), TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task ASignedUrlOfADeletedItemFindsNothing()
    {
        var (id, urls) = await UploadAsync();
        using var owner = Owner();
        (await owner.DeleteAsync($"/v3.0/media/{id}", Ct)).Dispose();
        using var anonymous = Anonymous();

        using var replay = await anonymous.GetAsync(urls.Content, Ct);

        Assert.Equal(HttpStatusCode.NotFound, replay.StatusCode);
        Assert.Equal("application/problem+json", replay.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task BearerAccessKeepsWorkingAndAnotherUsersTokenStillFindsNothing()
    {
        var (id, _) = await UploadAsync();

        using var owner = await _fixture.SendAsync(await _fixture.Issuer.TokenAsync(LocalIssuer.Alice), HttpMethod.Get, $"/v3.0/media/{id}/content", Ct);
        using var stranger = await _fixture.SendAsync(await _fixture.Issuer.TokenAsync(LocalIssuer.Bob), HttpMethod.Get, $"/v3.0/media/{id}/content", Ct);

        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task<(Guid Id, SignedUrls Urls)> UploadAsync()
    {
        using var owner = Owner();
        using var upload = await owner.PostAsync("/v3.0/media", TestMedia.Form(("signed.jpg", TestMedia.TinyJpeg)), Ct);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var item = Parse(await upload.Content.ReadAsStringAsync(Ct));
        return (item.Id, item.Urls);
    }

    private async Task<Item> ReadAsync(Guid id)
    {
        using var owner = Owner();
        return Parse(await owner.GetStringAsync($"/v3.0/media/{id}", Ct));
    }

    private static Item Parse(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        var urls = root.GetProperty("urls");
        return new Item(root.GetProperty("id").GetGuid(), new SignedUrls(urls.GetProperty("content").GetString()!, urls.GetProperty("expiresAt").GetDateTimeOffset()));
    }

    private HttpClient Owner() => _factory.CreateClient();

    private HttpClient Anonymous()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    private static string Flip(string signature) => (signature[0] == 'A' ? 'B' : 'A') + signature[1..];

    private sealed record Item(Guid Id, SignedUrls Urls);

    private sealed record SignedUrls(string Content, DateTimeOffset ExpiresAt);

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
