using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;

namespace Desirable.AppHost.Tests;

/// <summary>The running app, driven only through the gateway, as a browser or script would.</summary>
[Collection(RunningAppHost.Name)]
public sealed class GatewayEndToEndTests(AppHostFixture app)
{
    private static readonly byte[] Jpeg = TestMedia.TinyJpeg;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryResourceIsHealthyOrFinishedCleanly()
    {
        foreach (var name in new[] { "aws", "media", "processor", "identity", "web", "gateway", "catalog" })
        {
            await app.App.ResourceNotifications.WaitForResourceHealthyAsync(name, Ct);
        }

        var install = await app.App.ResourceNotifications.WaitForResourceAsync(
            "aws-install", e => e.Snapshot.State?.Text == KnownResourceStates.Finished, Ct);
        Assert.Equal(0, install.Snapshot.ExitCode);
    }

    [Fact]
    public async Task AJpegGoesUpIsListedReadDownloadedAndDeleted()
    {
        using var upload = await app.Gateway.PostAsync("/v3.0/media", TestMedia.Form(("sunset.jpg", Jpeg)), Ct);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        Assert.Equal($"/v3.0/media/{id}", upload.Headers.Location?.OriginalString);

        var list = await app.Gateway.GetFromJsonAsync<JsonElement>("/v3.0/media", Ct);
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);

        var item = await app.Gateway.GetFromJsonAsync<JsonElement>($"/v3.0/media/{id}", Ct);
        Assert.Equal("sunset.jpg", item.GetProperty("displayName").GetString());
        Assert.Equal("image/jpeg", item.GetProperty("contentType").GetString());

        Assert.Equal(Jpeg, await app.Gateway.GetByteArrayAsync($"/v3.0/media/{id}/content", Ct));

        using var rangeRequest = new HttpRequestMessage(HttpMethod.Get, $"/v3.0/media/{id}/content");
        rangeRequest.Headers.Range = new RangeHeaderValue(2, 11);
        using var range = await app.Gateway.SendAsync(rangeRequest, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(Jpeg[2..12], await range.Content.ReadAsByteArrayAsync(Ct));

        Assert.Contains($"media/{id}/original", await app.BucketContentsAsync());
        Assert.Contains(id, await app.CatalogContentsAsync());

        // Let processing finish first: this test is about reading and deleting, not about a delete racing the processor.
        await app.WaitForFinalStatusAsync(id);

        using var delete = await app.Gateway.DeleteAsync($"/v3.0/media/{id}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await AssertProblemAsync(await app.Gateway.GetAsync($"/v3.0/media/{id}", Ct), HttpStatusCode.NotFound);
        Assert.DoesNotContain(await app.BucketContentsAsync(), key => key.Contains(id, StringComparison.Ordinal));
        Assert.DoesNotContain(id, await app.CatalogContentsAsync());
    }

    [Fact]
    public async Task AnImageUploadedThroughTheGatewayBecomesReadyWithAThumbnailAndAnEvent()
    {
        var jpeg = TestImages.Jpeg(1600, 1200);
        using var upload = await app.Gateway.PostAsync("/v3.0/media", TestMedia.Form(("harbour.jpg", jpeg)), Ct);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;

        var item = await app.WaitForFinalStatusAsync(id);

        Assert.Equal("Ready", item.GetProperty("status").GetString());
        Assert.Equal(1600, item.GetProperty("width").GetInt32());
        var thumbUrl = item.GetProperty("variants").GetProperty("thumb").GetProperty("url").GetString()!;
        using (var thumb = TestImages.Decode(await app.Gateway.GetByteArrayAsync(thumbUrl, Ct)))
        {
            Assert.Equal((320, 240), (thumb.Width, thumb.Height));
        }

        using (var preview = TestImages.Decode(await app.Gateway.GetByteArrayAsync($"/v3.0/media/{id}/variants/preview", Ct)))
        {
            Assert.Equal(1280, preview.Width);
        }

        var published = await app.WaitForEventAsync(id);
        Assert.Equal("media.ready", published.GetProperty("type").GetString());

        using var delete = await app.Gateway.DeleteAsync($"/v3.0/media/{id}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.DoesNotContain(await app.BucketContentsAsync(), key => key.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheLocalIssuerIssuesRs256TokensForItsSeededUsers()
    {
        using var identity = app.App.CreateHttpClient("identity");
        var discovery = await identity.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration", Ct);
        using var response = await identity.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "cli-bob",
            ["client_secret"] = "cli-bob-local-only",
            ["scope"] = "media",
        }), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString()!;
        var segment = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        var payload = JsonDocument.Parse(Convert.FromBase64String(segment.PadRight(segment.Length + ((4 - (segment.Length % 4)) % 4), '='))).RootElement;
        Assert.Equal("auth0|bob", payload.GetProperty("sub").GetString());
        Assert.Equal(discovery.GetProperty("issuer").GetString(), payload.GetProperty("iss").GetString());
        Assert.Equal(3, payload.GetProperty("permissions").GetArrayLength());
    }

    [Fact]
    public async Task TwoUsersGoThroughTheWholePathAndNeverSeeEachOthersMedia()
    {
        var users = new[] { (Name: SignedInClients.Alice, Client: app.Gateway, Jpeg: TestImages.Jpeg(900, 600)), (Name: SignedInClients.Bob, Client: app.GatewayAsBob, Jpeg: TestImages.Jpeg(600, 900)) };
        var ids = new Dictionary<string, string>();
        foreach (var user in users)
        {
            using var upload = await user.Client.PostAsync("/v3.0/media", TestMedia.Form(($"{user.Name[6..]}.jpg", user.Jpeg)), Ct);
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
            ids[user.Name] = (await upload.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        }

        foreach (var user in users)
        {
            var id = ids[user.Name];
            var others = ids.Single(i => i.Key != user.Name).Value;

            var item = await app.WaitForFinalStatusAsync(id, user.Client);
            Assert.Equal("Ready", item.GetProperty("status").GetString());
            Assert.Equal(user.Name, item.GetProperty("owner").GetString());
            Assert.Equal(user.Name, (await app.WaitForEventAsync(id)).GetProperty("owner").GetString());

            var listed = (await user.Client.GetFromJsonAsync<JsonElement>("/v3.0/media?limit=100", Ct)).GetProperty("items").EnumerateArray()
                .Select(i => i.GetProperty("id").GetString()).ToList();
            Assert.Contains(id, listed);
            Assert.DoesNotContain(others, listed);
            Assert.Equal(user.Jpeg, await user.Client.GetByteArrayAsync($"/v3.0/media/{id}/content", Ct));

            foreach (var path in new[] { $"/v3.0/media/{others}", $"/v3.0/media/{others}/content", $"/v3.0/media/{others}/variants/thumb" })
            {
                await AssertProblemAsync(await user.Client.GetAsync(path, Ct), HttpStatusCode.NotFound);
            }

            await AssertProblemAsync(await user.Client.DeleteAsync($"/v3.0/media/{others}", Ct), HttpStatusCode.NotFound);
            await AssertProblemAsync(await app.AnonymousGateway.GetAsync($"/v3.0/media/{id}", Ct), HttpStatusCode.Unauthorized);
        }

        Assert.Superset(ids.Values.ToHashSet(), (await app.CatalogContentsAsync()).ToHashSet());
        foreach (var user in users)
        {
            using var delete = await user.Client.DeleteAsync($"/v3.0/media/{ids[user.Name]}", Ct);
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        Assert.DoesNotContain(await app.CatalogContentsAsync(), id => ids.ContainsValue(id));
        Assert.DoesNotContain(await app.BucketContentsAsync(), key => ids.Values.Any(id => key.Contains(id, StringComparison.Ordinal)));
    }

    public static TheoryData<string> BadUploads => ["empty file", "renamed executable", "over the limit", "no file part", "two file parts"];

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task ABadUploadThroughTheGatewayGetsAProblemAndLeavesNothing(string upload)
    {
        var bucketBefore = await app.BucketContentsAsync();
        var catalogBefore = await app.CatalogContentsAsync();
        // Twice the limit, so the gateway's own request-size limit is what refuses it.
        var (content, expected) = TestMedia.BadUpload(upload, oversizeBytes: 2 * AppHostFixture.MaxFileSizeBytes);
        using var body = content;

        using var response = await app.Gateway.PostAsync("/v3.0/media", body, Ct);

        await AssertProblemAsync(response, expected);
        Assert.Equal(bucketBefore, await app.BucketContentsAsync());
        Assert.Equal(catalogBefore, await app.CatalogContentsAsync());
    }

    [Theory]
    [InlineData("/v3.0/media?cursor=garbage", HttpStatusCode.BadRequest)]
    [InlineData("/v3.0/media?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/v3.0/media?limit=1000", HttpStatusCode.BadRequest)]
    [InlineData("/v3.0/media/0193a5c4-7f3e-7c2a-9d4e-1b2c3d4e5f60", HttpStatusCode.NotFound)]
    [InlineData("/v3.0/media/definitely-not-an-id", HttpStatusCode.BadRequest)]
    public async Task BadReadsThroughTheGatewayGetProblems(string url, HttpStatusCode expected)
    {
        await AssertProblemAsync(await app.Gateway.GetAsync(url, Ct), expected);
    }

    [Fact]
    public async Task TheGatewayServesTheWebAppOutsideTheApi()
    {
        var page = await app.Gateway.GetStringAsync("/", Ct);
        var deepLink = await app.Gateway.GetStringAsync("/some/client/route", Ct);

        Assert.Contains("_framework/blazor.webassembly", page, StringComparison.Ordinal);
        Assert.Equal(page, deepLink);
        using var framework = await app.Gateway.GetAsync(
            System.Text.RegularExpressions.Regex.Match(page, "_framework/blazor\\.webassembly[^\"]*\\.js").Value, Ct);
        Assert.Equal(HttpStatusCode.OK, framework.StatusCode);
    }

    [Fact]
    public async Task ThePageCarriesAPolicyThatAllowsOnlyItsOwnImportMapInline()
    {
        using var response = await app.Gateway.GetAsync("/", Ct);
        var page = await response.Content.ReadAsStringAsync(Ct);

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        var importMap = System.Text.RegularExpressions.Regex.Match(page, "<script type=\"importmap\">(.*?)</script>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(importMap)));
        Assert.Contains($"'sha256-{hash}'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("SAMEORIGIN", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'self'", policy, StringComparison.Ordinal);
        // The page signs in at the local issuer: it may call it and frame it (silent renewal), and nothing else.
        var issuer = app.App.GetEndpoint("identity", "http").GetLeftPart(UriPartial.Authority);
        Assert.Contains($"connect-src 'self' {issuer};", policy, StringComparison.Ordinal);
        Assert.Contains($"frame-src 'self' {issuer};", policy, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Theory]
    [InlineData(AppHostFixture.AllowedOrigin, "DELETE", true)]
    [InlineData(AppHostFixture.AllowedOrigin, "POST", true)]
    [InlineData(AppHostFixture.AllowedOrigin, "PATCH", false)]
    [InlineData("https://evil.example", "DELETE", false)]
    public async Task TheGatewayAnswersPreflightsForConfiguredOriginsAndVerbsOnly(string origin, string method, bool allowed)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v3.0/media");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", method);
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        // Browsers send preflights without credentials, so they must pass without a token.
        using var response = await app.AnonymousGateway.SendAsync(preflight, Ct);

        var allowOrigin = response.Headers.TryGetValues("Access-Control-Allow-Origin", out var origins) ? origins.Single() : null;
        var allowMethods = response.Headers.TryGetValues("Access-Control-Allow-Methods", out var methods) ? string.Join(",", methods) : "";
        Assert.Equal(allowed, allowOrigin == origin && allowMethods.Contains(method, StringComparison.Ordinal));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
    }
}
