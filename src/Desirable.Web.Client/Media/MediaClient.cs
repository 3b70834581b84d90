using System.Net.Http.Headers;
using System.Net.Http.Json;
using Desirable.Contracts;
using Microsoft.AspNetCore.Components.Forms;

namespace Desirable.Web.Client.Media;

/// <summary>Calls the media API; failures come back as the API's problem details, ready to show.</summary>
public sealed class MediaClient(HttpClient http)
{
    // The page is served by the gateway, whose address is the client's base address.
    private const string BasePath = ApiPaths.Media;

    public async Task<(MediaPage? Page, Problem? Problem)> ListAsync(string? cursor, CancellationToken cancellationToken)
    {
        var uri = cursor is null ? $"{BasePath}?limit=24" : $"{BasePath}?limit=24&cursor={Uri.EscapeDataString(cursor)}";
        using var response = await http.GetAsync(uri, cancellationToken);
        return response.IsSuccessStatusCode
            ? (await response.Content.ReadFromJsonAsync<MediaPage>(cancellationToken), null)
            : (null, await ReadProblemAsync(response, cancellationToken));
    }

    public async Task<(MediaItem? Item, Problem? Problem)> UploadAsync(IBrowserFile file, long maxBytes, CancellationToken cancellationToken)
    {
        if (file.Size > maxBytes)
        {
            return (null, new Problem("File too large", $"{file.Name} is {file.Size:N0} bytes; the limit is {maxBytes:N0}.", 413));
        }

        using var content = new MultipartFormDataContent();
        var fileContent = new StreamContent(file.OpenReadStream(maxBytes, cancellationToken));
        // The server reads the type from the bytes; this is only a courtesy to intermediaries.
        fileContent.Headers.ContentType = new MediaTypeHeaderValue(
            string.IsNullOrEmpty(file.ContentType) ? "application/octet-stream" : file.ContentType);
        content.Add(fileContent, "file", file.Name);

        using var response = await http.PostAsync(BasePath, content, cancellationToken);
        return response.IsSuccessStatusCode
            ? (await response.Content.ReadFromJsonAsync<MediaItem>(cancellationToken), null)
            : (null, await ReadProblemAsync(response, cancellationToken));
    }

    /// <summary>An item's bytes and type, or the problem the API answered with.</summary>
    public async Task<(byte[]? Bytes, string ContentType, Problem? Problem)> DownloadAsync(MediaItem item, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(item.Links.Content.TrimStart('/'), cancellationToken);
        return response.IsSuccessStatusCode
            ? (await response.Content.ReadAsByteArrayAsync(cancellationToken), response.Content.Headers.ContentType?.MediaType ?? item.ContentType, null)
            : (null, item.ContentType, await ReadProblemAsync(response, cancellationToken));
    }

    public async Task<Problem?> DeleteAsync(MediaItem item, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync(item.Links.Self.TrimStart('/'), cancellationToken);
        return response.IsSuccessStatusCode ? null : await ReadProblemAsync(response, cancellationToken);
    }

    private static async Task<Problem> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<Problem>(cancellationToken)
                ?? new Problem(response.ReasonPhrase, null, (int)response.StatusCode);
        }
        catch (System.Text.Json.JsonException)
        {
            return new Problem(response.ReasonPhrase, $"The server answered {(int)response.StatusCode}.", (int)response.StatusCode);
        }
    }
}
