using System.Text.Json;

namespace Desirable.Contracts;

/// <summary>
/// The web client's <c>client-settings.json</c>: which issuer the page signs in at, its public client id and the API
/// audience. One writer for the web host (locally) and the deployment (an object in the site bucket), so the page and its
/// start script read one shape: <c>{"Identity":{"Authority":…,"ClientId":…,"Audience":…}}</c>.
/// </summary>
public static class WebClientSettings
{
    public const string FileName = "client-settings.json";

    public static string Json(string? authority, string? clientId, string? audience) => JsonSerializer.Serialize(new
    {
        Identity = new { Authority = authority, ClientId = clientId, Audience = audience },
    });
}
