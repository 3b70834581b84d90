using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;

namespace Desirable.AppHost.Tests;

/// <summary>Signs in at the running app's local issuer as a script would: client credentials, one machine client per seeded user.</summary>
internal static class SignedInClients
{
    public const string Alice = "auth0|alice";
    public const string Bob = "auth0|bob";

    /// <summary>An access token for <paramref name="user"/> from the <c>identity</c> resource.</summary>
    public static async Task<string> TokenAsync(this DistributedApplication app, string user)
    {
        using var identity = app.CreateHttpClient("identity");
        var name = user["auth0|".Length..];
        using var response = await identity.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = $"cli-{name}",
            ["client_secret"] = $"cli-{name}-local-only",
        }), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return response.IsSuccessStatusCode
            ? body.GetProperty("access_token").GetString()!
            : throw new InvalidOperationException($"The local issuer refused {user}: {body}");
    }

    /// <summary>A client of <paramref name="resource"/> that calls with <paramref name="token"/>.</summary>
    public static HttpClient CreateHttpClient(this DistributedApplication app, string resource, string token)
    {
        var client = app.CreateHttpClient(resource);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
