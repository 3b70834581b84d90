using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Desirable.Identity.Tests;

/// <summary>The local issuer speaks OpenID Connect like Auth0 does for Desirable: discovery, JWKS, RS256 tokens, Auth0's claim shape.</summary>
public sealed partial class IssuerTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("desirable-identity-").FullName;
    private IssuerFactory _issuer = null!;
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _issuer = new IssuerFactory(_data);
        _client = _issuer.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task TheDiscoveryDocumentOffersCodeWithPkceAndClientCredentials()
    {
        var discovery = await _client.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration", Ct);

        Assert.Equal("http://localhost/", discovery.GetProperty("issuer").GetString());
        Assert.EndsWith("/connect/token", discovery.GetProperty("token_endpoint").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/connect/authorize", discovery.GetProperty("authorization_endpoint").GetString(), StringComparison.Ordinal);
        Assert.Contains("S256", Strings(discovery.GetProperty("code_challenge_methods_supported")));
        Assert.Superset(new HashSet<string> { "authorization_code", "client_credentials" }, Strings(discovery.GetProperty("grant_types_supported")).ToHashSet());
        Assert.Contains("RS256", Strings(discovery.GetProperty("id_token_signing_alg_values_supported")));
    }

    [Fact]
    public async Task AMachineClientGetsAnRs256TokenWithAuth0sClaimShapeForItsUser()
    {
        var token = await ClientCredentialsAsync("cli-alice", "cli-alice-local-only");

        var jwt = new JsonWebToken(token);
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal("auth0|alice", jwt.Subject);
        Assert.Equal("http://localhost/", jwt.Issuer);
        Assert.Equal(["https://api.desirable.example"], jwt.Audiences);
        Assert.Equal(["read:media", "write:media", "delete:media"], jwt.Claims.Where(c => c.Type == "permissions").Select(c => c.Value));
        Assert.Equal(["creator"], jwt.Claims.Where(c => c.Type == "https://desirable.example/roles").Select(c => c.Value));
        Assert.InRange(jwt.ValidTo - jwt.IssuedAt, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));

        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(token, await ValidationAsync());
        Assert.True(validation.IsValid, validation.Exception?.Message);
    }

    [Theory]
    [InlineData("cli-alice", "wrong")]
    [InlineData("cli-nobody", "cli-nobody-local-only")]
    [InlineData("desirable-web", "")]
    public async Task AClientThatCannotAuthenticateGetsNoToken(string clientId, string secret)
    {
        using var response = await _client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }), Ct);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}");
        var error = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(error.GetProperty("error").GetString() is "invalid_client" or "unauthorized_client" or "invalid_request", error.ToString());
    }

    [Fact]
    public async Task TheWebAppSignsInWithACodeAndPkceAfterPickingAUser()
    {
        var (verifier, authorize) = AuthorizationRequest("openid profile media");

        // Not signed in yet: to the sign-in page, which lists the seeded users.
        using var first = await _client.GetAsync(authorize, Ct);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var signIn = first.Headers.Location!.PathAndQuery;
        Assert.StartsWith("/signin", signIn, StringComparison.Ordinal);
        var page = await _client.GetStringAsync(signIn, Ct);
        Assert.Contains("Vera", page, StringComparison.Ordinal);

        // Pick Bob: back to the authorize endpoint, and from there to the app with a code.
        using var picked = await _client.PostAsync("/signin", Form(page, "auth0|bob"), Ct);
        Assert.Equal(HttpStatusCode.Redirect, picked.StatusCode);
        using var second = await _client.GetAsync(picked.Headers.Location!.OriginalString, Ct);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        var callback = second.Headers.Location!;
        Assert.StartsWith(IssuerFactory.WebRedirectUri, callback.ToString(), StringComparison.Ordinal);
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(callback.Query)["code"].ToString();

        using var wrongVerifier = await ExchangeAsync(code, Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)));
        Assert.Equal(HttpStatusCode.BadRequest, wrongVerifier.StatusCode);

        using var exchanged = await ExchangeAsync(code, verifier);
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        var jwt = new JsonWebToken((await exchanged.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString());
        Assert.Equal("auth0|bob", jwt.Subject);

        // A code is good once.
        using var replayed = await ExchangeAsync(code, verifier);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
    }

    [Fact]
    public async Task ACodeExchangedWithItsVerifierGivesTheChosenUsersToken()
    {
        var (verifier, authorize) = AuthorizationRequest("openid media");
        using var first = await _client.GetAsync(authorize, Ct);
        var page = await _client.GetStringAsync(first.Headers.Location!.PathAndQuery, Ct);
        using var picked = await _client.PostAsync("/signin", Form(page, "auth0|vera"), Ct);
        using var second = await _client.GetAsync(picked.Headers.Location!.OriginalString, Ct);
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(second.Headers.Location!.Query)["code"].ToString();

        using var exchanged = await ExchangeAsync(code, verifier);

        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        var jwt = new JsonWebToken((await exchanged.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString());
        Assert.Equal("auth0|vera", jwt.Subject);
        Assert.Equal(["read:media"], jwt.Claims.Where(c => c.Type == "permissions").Select(c => c.Value));
        // Arrays even with a single value, as Auth0 sends them.
        var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload)).RootElement;
        Assert.Equal(JsonValueKind.Array, payload.GetProperty("permissions").ValueKind);
        Assert.Equal(JsonValueKind.Array, payload.GetProperty("https://desirable.example/roles").ValueKind);
    }

    [Theory]
    [InlineData("https://evil.example/steal")]
    [InlineData("//evil.example/steal")]
    public async Task TheSignInPageNeverRedirectsOffTheIssuer(string returnUrl)
    {
        var page = await _client.GetStringAsync("/signin", Ct);

        using var response = await _client.PostAsync("/signin", Form(page, "auth0|alice", returnUrl), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ASignInWithoutTheAntiforgeryTokenIsRefused()
    {
        using var response = await _client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["subject"] = "auth0|ada",
            ["returnUrl"] = "/",
        }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task TheSigningKeyAndItsIdSurviveARestart()
    {
        var before = await _client.GetFromJsonAsync<JsonElement>("/.well-known/jwks", Ct);
        var token = await ClientCredentialsAsync("cli-ada", "cli-ada-local-only");
        await _issuer.DisposeAsync();
        SqliteConnection.ClearAllPools();

        _issuer = new IssuerFactory(_data);
        _client = _issuer.CreateClient(new() { AllowAutoRedirect = false });
        var after = await _client.GetFromJsonAsync<JsonElement>("/.well-known/jwks", Ct);

        var key = Assert.Single(after.GetProperty("keys").EnumerateArray());
        Assert.Equal(Assert.Single(before.GetProperty("keys").EnumerateArray()).GetProperty("kid").GetString(), key.GetProperty("kid").GetString());
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(token, await ValidationAsync());
        Assert.True(validation.IsValid, "a token from before the restart must still validate");
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _issuer.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task ASilentSignInWithNobodySignedInAnswersLoginRequiredToTheApp()
    {
        var (_, authorize) = AuthorizationRequest("openid media");

        using var response = await _client.GetAsync(authorize + "&prompt=none", Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var callback = response.Headers.Location!;
        Assert.StartsWith(IssuerFactory.WebRedirectUri, callback.ToString(), StringComparison.Ordinal);
        Assert.Equal("login_required", Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(callback.Query)["error"].ToString());
    }

    [Theory]
    [InlineData("https://api.desirable.example", true)]
    [InlineData("https://api.other.example", false)]
    public async Task Auth0sAudienceParameterIsAcceptedForTheApiOnly(string audience, bool accepted)
    {
        var (_, authorize) = AuthorizationRequest("openid media");

        using var response = await _client.GetAsync($"{authorize}&audience={Uri.EscapeDataString(audience)}", Ct);

        if (accepted)
        {
            // On to the sign-in page, as without the parameter.
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("audience", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UserInfoDescribesTheTokensUserAndNeedsAToken()
    {
        var token = await ClientCredentialsAsync("cli-alice", "cli-alice-local-only");
        using var anonymous = await _client.GetAsync("/connect/userinfo", Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        using var response = await _client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("auth0|alice", profile.GetProperty("sub").GetString());
        Assert.Equal("Alice", profile.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("http://localhost:5080", true)]
    [InlineData("https://evil.example", false)]
    public async Task OnlyTheWebAppsOriginMayCallTheTokenEndpointFromABrowser(string origin, bool allowed)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/connect/token");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await _client.SendAsync(preflight, Ct);

        var allowOrigin = response.Headers.TryGetValues("Access-Control-Allow-Origin", out var origins) ? origins.Single() : null;
        Assert.Equal(allowed, allowOrigin == origin);
    }

    private async Task<string> ClientCredentialsAsync(string clientId, string secret)
    {
        using var response = await _client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = "media",
        }), Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>The web app's authorization request: a fresh PKCE verifier and the URL carrying its S256 challenge.</summary>
    private static (string Verifier, string Url) AuthorizationRequest(string scope)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return (verifier, $"/connect/authorize?client_id=desirable-web&response_type=code&scope={Uri.EscapeDataString(scope)}" +
            $"&redirect_uri={Uri.EscapeDataString(IssuerFactory.WebRedirectUri)}&code_challenge={challenge}&code_challenge_method=S256&state=xyz");
    }

    private Task<HttpResponseMessage> ExchangeAsync(string code, string verifier) =>
        _client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "desirable-web",
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["redirect_uri"] = IssuerFactory.WebRedirectUri,
        }), Ct);

    private async Task<TokenValidationParameters> ValidationAsync()
    {
        var jwks = new JsonWebKeySet(await _client.GetStringAsync("/.well-known/jwks", Ct));
        return new TokenValidationParameters
        {
            ValidIssuer = "http://localhost/",
            ValidAudience = "https://api.desirable.example",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = ["RS256"],
        };
    }

    /// <summary>The sign-in form for <paramref name="subject"/>, with the antiforgery token the page carries.</summary>
    private static FormUrlEncodedContent Form(string page, string subject, string? returnUrl = null)
    {
        var field = AntiforgeryField().Match(page);
        var returnTo = returnUrl ?? WebUtility.HtmlDecode(ReturnUrlField().Match(page).Groups[1].Value);
        return new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [field.Groups[1].Value] = WebUtility.HtmlDecode(field.Groups[2].Value),
            ["subject"] = subject,
            ["returnUrl"] = returnTo,
        });
    }

    private static IEnumerable<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!);

    [GeneratedRegex("<input type=\"hidden\" name=\"(__RequestVerificationToken[^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<input type=\"hidden\" name=\"returnUrl\" value=\"([^\"]*)\">")]
    private static partial Regex ReturnUrlField();
}
