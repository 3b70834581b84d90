using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Desirable.Identity.Users;

/// <summary>The claims of a token for a user: the same shape Auth0 issues for Desirable's API.</summary>
public static class TokenClaims
{
    public const string Permissions = "permissions";

    /// <summary>Auth0 puts custom claims under a namespace URL; roles come from an Action that adds this one.</summary>
    public const string Roles = "https://desirable.example/roles";

    public static ClaimsPrincipal For(DevelopmentUser user, string audience, IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject)
            .SetClaim(Claims.Name, user.Name)
            .SetClaim(Claims.Email, user.Email);
        // JSON arrays even with one value, as Auth0 sends them: a single plain claim would become a string.
        identity.AddClaim(new Claim(Permissions, JsonSerializer.Serialize(user.Permissions), JsonClaimValueTypes.JsonArray));
        identity.AddClaim(new Claim(Roles, JsonSerializer.Serialize(user.Roles), JsonClaimValueTypes.JsonArray));
        identity.SetScopes(scopes);
        identity.SetAudiences(audience);
        // Everything goes into the access token (what the API reads); name and email into the id token too.
        identity.SetDestinations(claim => claim.Type is Claims.Name or Claims.Email
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }
}
