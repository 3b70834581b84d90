using System.Net.Http.Json;
using Desirable.Contracts;
using Desirable.Web.Client.Media;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

namespace Desirable.Web.Client;

/// <summary>Reads the settings the web host writes from the AppHost's configuration (which issuer, which client id).</summary>
internal static class ClientSettings
{
    public static async Task AddClientSettingsAsync(this WebAssemblyHostBuilder builder)
    {
        using var http = new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) };
        var settings = await http.GetFromJsonAsync(WebClientSettings.FileName, MediaJsonContext.Default.DictionaryStringDictionaryStringString) ?? [];
        builder.Configuration.AddInMemoryCollection(
            settings.SelectMany(section => section.Value.Select(entry => KeyValuePair.Create<string, string?>($"{section.Key}:{entry.Key}", entry.Value))));
    }
}
