using Aspire.Hosting.ApplicationModel;
using Desirable.Contracts;
using Microsoft.Extensions.Configuration;

namespace Desirable.Hosting.SignIn;

public static class IdentityProviderExtensions
{
    /// <summary>Configuration key choosing the provider: <c>local</c> (the default) or <c>auth0</c>.</summary>
    public const string ProviderKey = "Desirable:Identity";

    /// <summary>
    /// Auth0 when <c>Desirable:Identity=auth0</c>: its domain, API audience and the web app's client id are Aspire
    /// parameters (user secrets or environment, never committed files; the dashboard asks for missing ones).
    /// Otherwise the local OpenID Connect issuer, with Auth0's token shape, its database and signing keys in the
    /// data folder; it is never part of a deployment.
    /// </summary>
    /// <typeparam name="TLocalIssuer">The local issuer's project (the AppHost's <c>Projects.Desirable_Identity</c>).</typeparam>
    public static IdentityProvider AddIdentityProvider<TLocalIssuer>(this IDistributedApplicationBuilder builder, string dataDirectory)
        where TLocalIssuer : IProjectMetadata, new()
    {
        var provider = builder.Configuration[ProviderKey] ?? "local";
        if (provider.Equals("auth0", StringComparison.OrdinalIgnoreCase))
        {
            var domain = builder.AddParameter("auth0-domain");
            var audience = builder.AddParameter("auth0-audience");
            var clientId = builder.AddParameter("auth0-client-id");
            return new IdentityProvider
            {
                Authority = ReferenceExpression.Create($"https://{domain}/"),
                Audience = ReferenceExpression.Create($"{audience}"),
                WebClientId = ReferenceExpression.Create($"{clientId}"),
                Auth0Domain = ReferenceExpression.Create($"{domain}"),
            };
        }

        if (!provider.Equals("local", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{ProviderKey} must be 'local' or 'auth0', not '{provider}'.");
        }

        var issuer = builder.AddProject<TLocalIssuer>("identity")
            .WithEnvironment(context =>
            {
                foreach (var (key, value) in LocalIssuerSettings.Environment(Path.Combine(dataDirectory, "identity")))
                {
                    context.EnvironmentVariables[key] = value;
                }
            })
            .WithHttpHealthCheck(HealthPaths.Health)
            .ExcludeFromManifest();
        var endpoint = issuer.GetEndpoint("http");
        // The issuer names itself by the address everyone reaches it at, so tokens and discovery agree.
        issuer.WithEnvironment(LocalIssuerSettings.IssuerVariable, ReferenceExpression.Create($"{endpoint}/"));
        return new IdentityProvider
        {
            Authority = ReferenceExpression.Create($"{endpoint}/"),
            Audience = ReferenceExpression.Create($"{IdentityProvider.LocalAudience}"),
            WebClientId = ReferenceExpression.Create($"{IdentityProvider.LocalWebClientId}"),
            LocalIssuer = issuer,
        };
    }

    /// <summary>Points a service's token validation (<c>Identity:Authority</c>, <c>Identity:Audience</c>) at the provider.</summary>
    public static IResourceBuilder<ProjectResource> WithIdentityProvider(this IResourceBuilder<ProjectResource> service, IdentityProvider identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        service.WithEnvironment("Identity__Authority", identity.Authority)
            .WithEnvironment("Identity__Audience", identity.Audience);
        if (identity.LocalIssuer is { } issuer)
        {
            service.WaitFor(issuer);
        }

        return service;
    }

    /// <summary>What the web page needs to sign in: the provider, the API audience and its public client id.</summary>
    public static IResourceBuilder<ProjectResource> WithWebSignIn(this IResourceBuilder<ProjectResource> web, IdentityProvider identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return web.WithIdentityProvider(identity).WithEnvironment("Identity__ClientId", identity.WebClientId);
    }

    /// <summary>The local issuer lets the web app, served by the gateway, receive sign-in codes and call its token endpoint.</summary>
    public static void AllowWebSignInThrough(this IdentityProvider identity, IResourceBuilder<ProjectResource> gateway)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var origin = gateway.GetEndpoint("http");
        identity.LocalIssuer?
            .WithEnvironment("Identity__WebRedirectUris__0", ReferenceExpression.Create($"{origin}/authentication/login-callback"))
            .WithEnvironment("Identity__WebPostLogoutRedirectUris__0", ReferenceExpression.Create($"{origin}/authentication/logout-callback"))
            .WithEnvironment("Identity__AllowedOrigins__0", ReferenceExpression.Create($"{origin}"));
    }
}
