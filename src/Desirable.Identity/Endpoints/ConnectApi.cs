using System.Security.Claims;
using Desirable.Identity.Users;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Desirable.Identity.Endpoints;

/// <summary>
/// The OpenID Connect endpoints OpenIddict passes through to us: who gets a token, and with which claims. OpenIddict
/// itself validates clients, redirect URIs, PKCE and codes before these run.
/// </summary>
public static class ConnectApi
{
    public static IEndpointRouteBuilder MapConnectApi(this IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup("/connect").ExcludeFromDescription();
        connect.MapMethods("/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync);
        connect.MapPost("/token", ExchangeAsync);
        connect.MapMethods("/logout", [HttpMethods.Get, HttpMethods.Post], (Delegate)LogoutAsync);
        connect.MapMethods("/userinfo", [HttpMethods.Get, HttpMethods.Post], (Delegate)UserInfoAsync);
        return app;
    }

    /// <summary>Signed in on the sign-in page: issue a code for that user. Otherwise: go and pick a user first.</summary>
    private static async Task<IResult> AuthorizeAsync(HttpContext context, IOptions<IdentityOptions> options)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        var signedIn = await context.AuthenticateAsync(Extensions.SignInScheme);
        var user = DevelopmentUsers.FindBySubject(signedIn.Principal?.FindFirstValue(Claims.Subject));
        var known = signedIn.Succeeded && user is not null;
        if (!known && request.HasPromptValue(PromptValues.None))
        {
            // A silent attempt (the web app's hidden frame) must not be shown a page: say that sign-in is needed.
            return Forbid(Errors.LoginRequired, "Nobody is signed in at the local issuer.");
        }

        if (!known || request.HasPromptValue(PromptValues.Login))
        {
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + QueryWithoutPromptLogin(context.Request) },
                [Extensions.SignInScheme]);
        }

        return Results.SignIn(
            TokenClaims.For(user!, options.Value.Audience, request.GetScopes()),
            authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> ExchangeAsync(HttpContext context, IOptions<IdentityOptions> options)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        DevelopmentUser? user;
        if (request.IsClientCredentialsGrantType())
        {
            // A machine client acts as the seeded user it is named after (see DevelopmentUser.ClientId).
            user = DevelopmentUsers.FindByClientId(request.ClientId);
        }
        else if (request.IsAuthorizationCodeGrantType())
        {
            var code = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            user = DevelopmentUsers.FindBySubject(code.Principal?.GetClaim(Claims.Subject));
        }
        else
        {
            return Forbid(Errors.UnsupportedGrantType, "Only the authorization code and client credentials grants are supported.");
        }

        // Claims are rebuilt from the user as they are now, not copied from the code.
        return user is null
            ? Forbid(Errors.InvalidGrant, "The user behind this grant no longer exists.")
            : Results.SignIn(
                TokenClaims.For(user, options.Value.Audience, request.GetScopes()),
                authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The profile of the access token's user, as OpenID Connect's userinfo (OpenIddict has validated the token).</summary>
    private static async Task<IResult> UserInfoAsync(HttpContext context)
    {
        var token = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var user = DevelopmentUsers.FindBySubject(token.Principal?.GetClaim(Claims.Subject));
        return user is null
            ? Results.Challenge(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The token's user no longer exists.",
                }),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme])
            : Results.Ok(new Dictionary<string, object>
            {
                [Claims.Subject] = user.Subject,
                [Claims.Name] = user.Name,
                [Claims.Email] = user.Email,
            });
    }

    private static async Task<IResult> LogoutAsync(HttpContext context)
    {
        await context.SignOutAsync(Extensions.SignInScheme);
        // OpenIddict redirects to the validated post_logout_redirect_uri.
        return Results.SignOut(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static IResult Forbid(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    /// <summary>After the sign-in page, coming back with prompt=login would loop; drop it.</summary>
    private static string QueryWithoutPromptLogin(HttpRequest request)
    {
        var query = request.HasFormContentType ? QueryString.Create(request.Form) : request.QueryString;
        var values = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query.Value)
            .Where(p => !(p.Key == Parameters.Prompt && p.Value.ToString().Contains(PromptValues.Login, StringComparison.Ordinal)))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)));
        return QueryString.Create(values).ToString();
    }
}
