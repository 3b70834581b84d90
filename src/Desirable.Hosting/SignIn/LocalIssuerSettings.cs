using Desirable.Contracts;

namespace Desirable.Hosting.SignIn;

/// <summary>
/// What the local issuer (src/Desirable.Identity) is started with: one description for the AppHost's <c>identity</c>
/// resource and for the test kit, which runs the same issuer as a plain process.
/// </summary>
public static class LocalIssuerSettings
{
    /// <summary>The address the issuer names itself by in tokens and discovery; set to where it is reached.</summary>
    public const string IssuerVariable = "Identity__Issuer";

    /// <summary>Its database and signing keys under <paramref name="stateDirectory"/>; tokens for Desirable's audience.</summary>
    public static IReadOnlyDictionary<string, string> Environment(string stateDirectory) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ConnectionStrings__identity"] = $"Data Source={Path.Combine(stateDirectory, "identity.db")}",
        ["Identity__KeyDirectory"] = KeyDirectory(stateDirectory),
        ["Identity__Audience"] = LocalIdentity.Audience,
    };

    /// <summary>Where its RSA signing key is kept (<c>signing.pem</c>).</summary>
    public static string KeyDirectory(string stateDirectory) => Path.Combine(stateDirectory, "keys");
}
