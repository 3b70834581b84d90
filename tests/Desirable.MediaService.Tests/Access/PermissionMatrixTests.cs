using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Desirable.MediaService.Tests.Infrastructure;

namespace Desirable.MediaService.Tests.Access;

/// <summary>
/// Every endpoint against every kind of caller: one without the permission it needs (403), the owner (allowed),
/// another user (404: someone else's id looks like a missing one) and an administrator (allowed on anyone's item).
/// Where a call must not change anything, the catalog and the bucket are compared before and after.
/// </summary>
public sealed class PermissionMatrixTests(MediaApiFixture fixture) : IClassFixture<MediaApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Everything = ["read:media", "write:media", "delete:media", "admin:media"];

    /// <summary>Endpoint name, method, path template ({id} is one of Alice's items), the permission it needs.</summary>
    public static TheoryData<string, string, string, string> Endpoints => new()
    {
        { "list", "GET", "/v3.0/media", "read:media" },
        { "upload", "POST", "/v3.0/media", "write:media" },
        { "get", "GET", "/v3.0/media/{id}", "read:media" },
        { "content", "GET", "/v3.0/media/{id}/content", "read:media" },
        { "variant", "GET", "/v3.0/media/{id}/variants/thumb", "read:media" },
        { "delete", "DELETE", "/v3.0/media/{id}", "delete:media" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task WithoutItsPermissionEveryEndpointAnswers403AndChangesNothing(string endpoint, string method, string path, string permission)
    {
        var id = await UploadAsAliceAsync();
        var catalogBefore = await fixture.CatalogContentsAsync();
        var bucketBefore = await fixture.BucketContentsAsync();
        // Alice herself, holding every permission but this one.
        var token = TokenForge.WithPermissions(fixture.Issuer, LocalIssuer.Alice, [.. Everything.Where(p => p != permission)]);

        using var response = await SendAsync(token, method, path, id);

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{endpoint}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(catalogBefore, await fixture.CatalogContentsAsync());
        Assert.Equal(bucketBefore, await fixture.BucketContentsAsync());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task TheOwnerWithThePermissionIsServed(string endpoint, string method, string path, string permission)
    {
        _ = permission;
        var id = await UploadAsAliceAsync();

        using var response = await SendAsync(await fixture.Issuer.TokenAsync(LocalIssuer.Alice), method, path, id);

        Assert.True(response.StatusCode == Served(endpoint), $"{endpoint}: {response.StatusCode}");
        if (endpoint == "variant")
        {
            Assert.Equal("Variant not available", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString());
        }

        if (endpoint == "list")
        {
            Assert.Contains(id, await ListedIdsAsync(response));
        }
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AnotherUsersItemIsNotFoundAndStaysUntouched(string endpoint, string method, string path, string permission)
    {
        _ = permission;
        var id = await UploadAsAliceAsync();
        var bucketBefore = await fixture.BucketContentsAsync();
        var bob = await fixture.Issuer.TokenAsync(LocalIssuer.Bob);

        using var response = await SendAsync(bob, method, path, id);

        switch (endpoint)
        {
            case "list":
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.DoesNotContain(id, await ListedIdsAsync(response));
                break;
            case "upload":
                // Bob's upload is Bob's: Alice does not see it.
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                var bobs = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
                using (var asAlice = await SendAsync(await fixture.Issuer.TokenAsync(LocalIssuer.Alice), "GET", $"/v3.0/media/{bobs}"))
                {
                    Assert.Equal(HttpStatusCode.NotFound, asAlice.StatusCode);
                }

                return;
            default:
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{endpoint}: {response.StatusCode}");
                Assert.Equal("Not found", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString());
                break;
        }

        Assert.Contains(Guid.Parse(id), await fixture.CatalogContentsAsync());
        Assert.Equal(bucketBefore, await fixture.BucketContentsAsync());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AnAdministratorReachesAnyonesItem(string endpoint, string method, string path, string permission)
    {
        _ = permission;
        var id = await UploadAsAliceAsync();

        using var response = await SendAsync(await fixture.Issuer.TokenAsync(LocalIssuer.Ada), method, path, id);

        Assert.True(response.StatusCode == Served(endpoint), $"{endpoint}: {response.StatusCode}");
        switch (endpoint)
        {
            case "list":
                Assert.Contains(id, await ListedIdsAsync(response));
                break;
            case "variant":
                // Found (the item is Alice's, but Ada may see it): only its thumbnail is not made yet.
                Assert.Equal("Variant not available", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString());
                break;
            case "delete":
                Assert.DoesNotContain(Guid.Parse(id), await fixture.CatalogContentsAsync());
                Assert.DoesNotContain(await fixture.BucketContentsAsync(), key => key.Contains(id, StringComparison.Ordinal));
                break;
        }
    }

    /// <summary>What an allowed caller gets from each endpoint.</summary>
    private static HttpStatusCode Served(string endpoint) => endpoint switch
    {
        "upload" => HttpStatusCode.Created,
        "delete" => HttpStatusCode.NoContent,
        // Never processed here (no worker), so the variant is not there yet: the caller is told why.
        "variant" => HttpStatusCode.NotFound,
        _ => HttpStatusCode.OK,
    };

    private Task<HttpResponseMessage> SendAsync(string token, string method, string path, string? id = null) =>
        fixture.SendAsync(token, new HttpMethod(method), id is null ? path : path.Replace("{id}", id, StringComparison.Ordinal), Ct);

    private async Task<string> UploadAsAliceAsync()
    {
        using var upload = await SendAsync(await fixture.Issuer.TokenAsync(LocalIssuer.Alice), "POST", "/v3.0/media");
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        return (await upload.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
    }

    private static async Task<IReadOnlyList<string>> ListedIdsAsync(HttpResponseMessage response) =>
        [.. (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
}
