using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Desirable.Contracts;

namespace Desirable.Web.Client.Media;

/// <summary>Calls the media API; failures come back as the API's problem details, ready to show.</summary>
public sealed class MediaClient(HttpClient http)
{
    /// <summary>Where uploads go (the page is served by the gateway, so the API is on its origin).</summary>
    public const string UploadPath = ApiPaths.Media;

    public const int PageSize = 48;

    public async Task<(MediaPage? Page, Problem? Problem)> ListAsync(MediaFilter filter, string? cursor, CancellationToken cancellationToken)
    {
        var uri = $"{ApiPaths.Media}?limit={PageSize}";
        if (filter.Kind is { } kind)
        {
            uri += $"&kind={Uri.EscapeDataString(kind)}";
        }

        if (filter.Status is { } status)
        {
            uri += $"&status={Uri.EscapeDataString(status)}";
        }

        if (cursor is not null)
        {
            uri += $"&cursor={Uri.EscapeDataString(cursor)}";
        }

        return await GetAsync(uri, MediaJsonContext.Default.MediaPage, cancellationToken);
    }

    public Task<(MediaItem? Item, Problem? Problem)> GetAsync(MediaItem item, CancellationToken cancellationToken) =>
        GetAsync(item.Links.Self.TrimStart('/'), MediaJsonContext.Default.MediaItem, cancellationToken);

    public Task<(UploadPolicy? Policy, Problem? Problem)> GetUploadPolicyAsync(CancellationToken cancellationToken) =>
        GetAsync($"{ApiPaths.Media}/upload-policy", MediaJsonContext.Default.UploadPolicy, cancellationToken);

    public async Task<Problem?> DeleteAsync(MediaItem item, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync(item.Links.Self.TrimStart('/'), cancellationToken);
        return response.IsSuccessStatusCode ? null : await ReadProblemAsync(response, cancellationToken);
    }

    private async Task<(T? Value, Problem? Problem)> GetAsync<T>(string uri, JsonTypeInfo<T> json, CancellationToken cancellationToken) where T : class
    {
        try
        {
            using var response = await http.GetAsync(uri, cancellationToken);
            return response.IsSuccessStatusCode
                ? (await response.Content.ReadFromJsonAsync(json, cancellationToken), null)
                : (null, await ReadProblemAsync(response, cancellationToken));
        }
        catch (HttpRequestException)
        {
            return (null, new Problem("Not reachable", "The media service could not be reached. Check your connection and try again.", null));
        }
    }

    /// <summary>An upload's answer, as the browser's request returned it: 201 with the item, or the problem.</summary>
    public static (MediaItem? Item, Problem? Problem) ReadUploadAnswer(int status, string? body) =>
        status == 201 && body is not null && JsonSerializer.Deserialize(body, MediaJsonContext.Default.MediaItem) is { } item
            ? (item, null)
            : (null, ReadProblem(status, body));

    /// <summary>The problem detail in an answer's body, or one made from its status when the body is not one.</summary>
    private static Problem ReadProblem(int status, string? body)
    {
        if (!string.IsNullOrEmpty(body))
        {
            try
            {
                if (JsonSerializer.Deserialize(body, MediaJsonContext.Default.Problem) is { Title: not null } problem)
                {
                    return problem;
                }
            }
            catch (JsonException)
            {
                // Not a problem detail; described from the status below.
            }
        }

        return status == 0
            ? new Problem("Upload interrupted", "The connection ended before the upload finished. Try again.", null)
            : new Problem("Upload failed", $"The server answered {status}.", status);
    }

    private static async Task<Problem> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        ReadProblem((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
}
