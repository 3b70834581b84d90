using System.Net.Http.Json;
using System.Text.Json;

namespace Desirable.Testing;

/// <summary>Signs in at the local issuer as a script would: client credentials, one machine client per seeded user.</summary>
public static class ClientCredentials
{
    /// <summary>An access token for the seeded <paramref name="user"/> (<c>auth0|alice</c> signs in as <c>cli-alice</c>).</summary>
    public static async Task<string> TokenAsync(HttpClient issuer, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var (id, secret) = Desirable.Contracts.LocalIdentity.MachineClient(user);
        using var response = await issuer.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = id,
            ["client_secret"] = secret,
        }), cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return response.IsSuccessStatusCode
            ? body.GetProperty("access_token").GetString()!
            : throw new InvalidOperationException($"The local issuer refused a token for {user}: {body}");
    }
}
