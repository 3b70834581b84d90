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

    /// <summary>
    /// The machine client that acts as a seeded user (client credentials, for tests, scripts and the dashboard's sample
    /// commands): <c>cli-alice</c> for <c>auth0|alice</c>. Its secret is no secret: the local issuer never leaves a
    /// developer machine and knows only the seeded users.
    /// </summary>
    public static (string Id, string Secret) MachineClient(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var id = $"cli-{subject.Split('|')[^1]}";
        return (id, $"{id}-local-only");
    }
}
