using Desirable.Web.Client;
using Desirable.Web.Client.Media;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Authentication;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");

// Sign-in with authorization code and PKCE. The web host serves the issuer's settings from the AppHost's, so the
// same build signs in at the local issuer or at Auth0.
await builder.AddClientSettingsAsync();
builder.Services.AddOidcAuthentication(options =>
{
    // Read by name rather than bound: the configuration binder and its type converters would be 40 KB more to download.
    options.ProviderOptions.Authority = builder.Configuration["Identity:Authority"];
    options.ProviderOptions.ClientId = builder.Configuration["Identity:ClientId"];
    options.ProviderOptions.ResponseType = "code";
    options.ProviderOptions.DefaultScopes.Add("media");
    // Auth0 issues an API token (not only an ID token) for the audience named in the authorize request.
    if (builder.Configuration["Identity:Audience"] is { Length: > 0 } audience)
    {
        options.ProviderOptions.AdditionalProviderParameters.Add("audience", audience);
    }
});
builder.Services.AddCascadingAuthenticationState();

// The page is served through the gateway, so the API is on the same origin; calls to it carry the access token.
builder.Services.AddScoped(services =>
{
    var withToken = services.GetRequiredService<BaseAddressAuthorizationMessageHandler>();
    withToken.InnerHandler = new HttpClientHandler();
    return new HttpClient(withToken) { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) };
});
builder.Services.AddScoped<MediaClient>();

await builder.Build().RunAsync();
