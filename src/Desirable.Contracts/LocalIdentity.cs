namespace Desirable.Contracts;

/// <summary>
/// The local issuer's fixed values (development only): the issuer registers them, the AppHost hands them to the
/// services and the web app. With Auth0 the tenant's own values take their place.
/// </summary>
public static class LocalIdentity
{
    /// <summary>The API's audience in tokens, as Auth0 names an API by its identifier.</summary>
    public const string Audience = "https://api.desirable.example";

    /// <summary>The web app's OpenID Connect client (code + PKCE, no secret).</summary>
    public const string WebClientId = "desirable-web";
}
