using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Desirable.Testing;
using static Desirable.AppHost.Tests.AppModel;

namespace Desirable.AppHost.Tests;

/// <summary>Where the services' tokens come from: the local issuer by default, Auth0 when asked, nothing else.</summary>
public class IdentityAppModelTests
{
    private static readonly string[] TokenValidatingServices = ["media", "gateway", "web"];
    private static readonly string[] Auth0Parameters = ["auth0-domain", "auth0-audience", "auth0-client-id"];

    [Fact]
    public async Task LocallyEveryServiceValidatesTokensOfTheLocalIssuerAndWaitsForIt()
    {
        using var folder = new TemporaryDirectory("desirable-model-");
        var data = folder.Path;
        await using var builder = await CreateBuilderAsync("embedded", $"--Desirable:DataDirectory={data}");
        var issuer = Resource(builder, "identity");

        foreach (var name in TokenValidatingServices)
        {
            var environment = await EnvironmentOf(Resource(builder, name));
            Assert.Equal("{identity.bindings.http.url}/", environment["Identity__Authority"]);
            Assert.Equal("https://api.desirable.example", environment["Identity__Audience"]);
            Assert.Contains("identity", WaitsOf(Resource(builder, name)));
        }

        Assert.Equal("desirable-web", (await EnvironmentOf(Resource(builder, "web")))["Identity__ClientId"]);
        var own = await EnvironmentOf(issuer);
        Assert.Equal("{identity.bindings.http.url}/", own["Identity__Issuer"]);
        Assert.Equal("https://api.desirable.example", own["Identity__Audience"]);
        Assert.Equal(Path.Combine(data, "identity", "keys"), own["Identity__KeyDirectory"]);
        Assert.Equal($"Data Source={Path.Combine(data, "identity", "identity.db")}", own["ConnectionStrings__identity"]);
        Assert.Equal("{gateway.bindings.http.url}/authentication/login-callback", own["Identity__WebRedirectUris__0"]);
        Assert.Equal("{gateway.bindings.http.url}/authentication/logout-callback", own["Identity__WebPostLogoutRedirectUris__0"]);
        Assert.Equal("{gateway.bindings.http.url}", own["Identity__AllowedOrigins__0"]);
        Assert.Contains(issuer.Annotations, a => ReferenceEquals(a, ManifestPublishingCallbackAnnotation.Ignore));
        Assert.Contains(issuer.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
    }

    [Fact]
    public async Task WithAuth0TheServicesValidateItsTokensAndNoLocalIssuerRuns()
    {
        await using var builder = await CreateBuilderAsync("embedded", "--Desirable:Identity=auth0",
            "--Parameters:auth0-domain=desirable.eu.auth0.com", "--Parameters:auth0-audience=https://api.desirable.example",
            "--Parameters:auth0-client-id=abc123");

        Assert.DoesNotContain(builder.Resources, r => r.Name == "identity");
        foreach (var name in TokenValidatingServices)
        {
            var environment = await EnvironmentOf(Resource(builder, name));
            Assert.Equal("https://{auth0-domain.value}/", environment["Identity__Authority"]);
            Assert.Equal("{auth0-audience.value}", environment["Identity__Audience"]);
            Assert.DoesNotContain("identity", WaitsOf(Resource(builder, name)));
        }

        Assert.Equal("{auth0-client-id.value}", (await EnvironmentOf(Resource(builder, "web")))["Identity__ClientId"]);
        Assert.All(Auth0Parameters, name => Assert.IsType<ParameterResource>(Resource(builder, name)));
    }

    [Fact]
    public async Task AnUnknownProviderIsAClearError()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CreateBuilderAsync("embedded", "--Desirable:Identity=okta"));
        Assert.Contains("'local' or 'auth0'", error.Message, StringComparison.Ordinal);
    }
}
