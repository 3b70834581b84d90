using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Desirable.MediaService.Tests.Infrastructure;

namespace Desirable.MediaService.Tests.Apis;

/// <summary>
/// The upload policy a client checks files against before sending them: this service's own limit and types, and
/// whether the caller may upload at all, with the reason when not (Vera reads but does not upload), and whether it may
/// delete (the same permission the delete endpoint requires).
/// </summary>
public sealed class UploadPolicyTests(MediaApiFixture fixture) : IClassFixture<MediaApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ACreatorMayUploadWithinTheConfiguredLimitAndTypes()
    {
        var policy = await PolicyAsync(await fixture.Issuer.TokenAsync(LocalIssuer.Alice));

        Assert.True(policy.GetProperty("canUpload").GetBoolean());
        Assert.True(policy.GetProperty("canDelete").GetBoolean());
        Assert.Equal(JsonValueKind.Null, policy.GetProperty("reason").ValueKind);
        // The fixture configures 12 MiB, not the 100 MiB default: the figure comes from configuration.
        Assert.Equal(MediaApiFixture.MaxFileSizeBytes, policy.GetProperty("maxFileSizeBytes").GetInt64());
        Assert.Equal(
            ["image/jpeg", "image/png", "image/webp", "image/gif", "video/mp4", "video/webm", "video/quicktime"],
            policy.GetProperty("allowedContentTypes").EnumerateArray().Select(t => t.GetString()!));
    }

    [Fact]
    public async Task AReaderIsToldWhyUploadsAreNotOffered()
    {
        var policy = await PolicyAsync(await fixture.Issuer.TokenAsync(LocalIssuer.Vera));

        Assert.False(policy.GetProperty("canUpload").GetBoolean());
        Assert.False(policy.GetProperty("canDelete").GetBoolean());
        Assert.Contains("write:media", policy.GetProperty("reason").GetString(), StringComparison.Ordinal);
        // And the policy says what the upload endpoint does: Vera's upload is refused.
        using var refused = await fixture.SendAsync(await fixture.Issuer.TokenAsync(LocalIssuer.Vera), HttpMethod.Post, "/v3.0/media", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var deleteRefused = await fixture.SendAsync(await fixture.Issuer.TokenAsync(LocalIssuer.Vera), HttpMethod.Delete, $"/v3.0/media/{Guid.NewGuid()}", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, deleteRefused.StatusCode);
    }

    [Fact]
    public async Task WithoutATokenThePolicyIsNotShown()
    {
        using var response = await fixture.SendAsync(token: null, HttpMethod.Get, "/v3.0/media/upload-policy", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<JsonElement> PolicyAsync(string token)
    {
        using var response = await fixture.SendAsync(token, HttpMethod.Get, "/v3.0/media/upload-policy", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }
}
