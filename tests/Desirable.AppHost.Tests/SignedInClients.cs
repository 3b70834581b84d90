using System.Net.Http.Headers;
using Aspire.Hosting;

namespace Desirable.AppHost.Tests;

/// <summary>Clients of the running app signed in at its local issuer.</summary>
internal static class SignedInClients
{
    public const string Alice = "auth0|alice";
    public const string Bob = "auth0|bob";

    /// <summary>An access token for <paramref name="user"/> from the <c>identity</c> resource.</summary>
    public static async Task<string> TokenAsync(this DistributedApplication app, string user)
    {
        using var identity = app.CreateHttpClient("identity");
        return await ClientCredentials.TokenAsync(identity, user, TestContext.Current.CancellationToken);
    }

    /// <summary>A client of <paramref name="resource"/> that calls with <paramref name="token"/>.</summary>
    public static HttpClient CreateHttpClient(this DistributedApplication app, string resource, string token)
    {
        var client = app.CreateHttpClient(resource);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
