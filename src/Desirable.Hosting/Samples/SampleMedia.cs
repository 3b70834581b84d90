using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Desirable.Contracts;
using Desirable.Hosting.Tools;
using Microsoft.Extensions.Logging;

namespace Desirable.Hosting.Samples;

/// <summary>
/// The dashboard's first-start helpers for the local app: sample media uploaded through the API as the seeded users
/// would (so it is stored, catalogued and processed like anything else), and a reset that deletes every item through
/// the API as the administrator (originals, variants and catalog entries together, nothing orphaned).
/// </summary>
public sealed class SampleMedia(HttpClient http, ToolRunner run, ILogger logger)
{
    public const string Alice = "auth0|alice";
    public const string Bob = "auth0|bob";
    public const string Ada = "auth0|ada";

    /// <summary>What the seed uploads: landscapes for Alice and Bob, and a short video for Alice.</summary>
    public static IReadOnlyList<(string Owner, string Name, int Width, int Height)> Images { get; } =
    [
        (Alice, "Harbour at dawn.png", 1600, 1067),
        (Alice, "Ridge walk.png", 1600, 1067),
        (Alice, "Lighthouse.png", 1067, 1600),
        (Alice, "Dunes.png", 1600, 900),
        (Alice, "Evening lake.png", 1600, 1067),
        (Alice, "Valley fog.png", 1200, 1200),
        (Alice, "Orchard.png", 1600, 1067),
        (Alice, "Summit.png", 1067, 1600),
        (Bob, "Canyon.png", 1600, 1067),
        (Bob, "Coastline.png", 1600, 900),
        (Bob, "Pine forest.png", 1200, 1200),
    ];

    public const string VideoName = "Test pattern.mp4";

    /// <summary>Uploads the samples; the sentence says what went up (and, if anything did not, why).</summary>
    public async Task<(bool Success, string Message)> SeedAsync(Uri media, Uri issuer, CancellationToken cancellationToken)
    {
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        var uploaded = 0;
        var refused = new List<string>();
        var files = Images.Select((image, index) => (image.Owner, image.Name, Bytes: (Func<byte[]>)(() => SampleImages.Landscape(image.Width, image.Height, index + 1)), Type: "image/png"))
            .ToList();
        if (await MakeVideoAsync(cancellationToken) is { } video)
        {
            files.Add((Alice, VideoName, () => video, "video/mp4"));
        }

        foreach (var (owner, name, bytes, type) in files)
        {
            if (!tokens.TryGetValue(owner, out var token))
            {
                tokens[owner] = token = await TokenAsync(issuer, owner, cancellationToken);
            }

            var problem = await UploadAsync(media, token, name, type, bytes(), cancellationToken);
            if (problem is null)
            {
                uploaded++;
            }
            else
            {
                refused.Add($"{name}: {problem}");
            }
        }

        var videoNote = files.Any(f => f.Name == VideoName) ? "" : " No video: ffmpeg was not found to make one.";
        var message = $"Uploaded {uploaded} sample files for Alice and Bob; they appear in the gallery as they are processed.{videoNote}";
        return refused.Count == 0
            ? (true, message)
            : (uploaded > 0, $"{message} Refused: {string.Join("; ", refused)}.");
    }

    /// <summary>Deletes every item of every user; the sentence says how many.</summary>
    public async Task<(bool Success, string Message)> ResetAsync(Uri media, Uri issuer, CancellationToken cancellationToken)
    {
        var token = await TokenAsync(issuer, Ada, cancellationToken);
        var deleted = 0;
        var failed = new List<string>();

        // Page by page from the start: each page is deleted before the next is asked for, so no cursor goes stale.
        while (true)
        {
            using var list = new HttpRequestMessage(HttpMethod.Get, new Uri(media, $"{ApiPaths.Media}?limit=100"));
            list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(list, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return (false, $"The media service would not list the items ({(int)response.StatusCode}); nothing more was deleted after {deleted}.");
            }

            var items = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("items").EnumerateArray()
                .Select(item => item.GetProperty("links").GetProperty("self").GetString()!)
                .ToList();
            var deletable = items.Where(self => !failed.Contains(self)).ToList();
            if (deletable.Count == 0)
            {
                break;
            }

            foreach (var self in deletable)
            {
                using var delete = new HttpRequestMessage(HttpMethod.Delete, new Uri(media, self));
                delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var answer = await http.SendAsync(delete, cancellationToken);
                if (answer.IsSuccessStatusCode)
                {
                    deleted++;
                }
                else
                {
                    logger.LogWarning("Reset could not delete {Item}: {Status}", self, (int)answer.StatusCode);
                    failed.Add(self);
                }
            }
        }

        return failed.Count == 0
            ? (true, deleted == 0 ? "There was nothing to delete." : $"Deleted {deleted} items of every user, with their files and variants.")
            : (false, $"Deleted {deleted} items; {failed.Count} could not be deleted (see the AppHost's log).");
    }

    private async Task<string?> UploadAsync(Uri media, string token, string name, string type, byte[] bytes, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(type);
        form.Add(file, "file", name);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(media, ApiPaths.Media)) { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        logger.LogWarning("Sample {Name} was refused: {Status} {Body}", name, (int)response.StatusCode, body);
        try
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"the media service answered {(int)response.StatusCode}";
        }
    }

    private async Task<string> TokenAsync(Uri issuer, string subject, CancellationToken cancellationToken)
    {
        var (id, secret) = LocalIdentity.MachineClient(subject);
        using var response = await http.PostAsync(new Uri(issuer, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = id,
            ["client_secret"] = secret,
        }), cancellationToken);
        return response.IsSuccessStatusCode
            ? (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("access_token").GetString()!
            : throw new InvalidOperationException($"The local issuer refused to sign in {subject} ({(int)response.StatusCode}).");
    }

    /// <summary>Four seconds of ffmpeg's test pattern as H.264 MP4, or null when ffmpeg is not installed.</summary>
    private async Task<byte[]?> MakeVideoAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"desirable-sample-{Guid.NewGuid():N}.mp4");
        try
        {
            var (exitCode, output) = await run(ToolProcess.Command("ffmpeg",
            [
                "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", "testsrc2=duration=4:size=640x360:rate=25",
                "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "veryfast", path,
            ]), cancellationToken);
            if (exitCode != 0)
            {
                logger.LogWarning("ffmpeg could not make the sample video ({ExitCode}): {Output}", exitCode, output);
                return null;
            }

            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            logger.LogInformation(e, "ffmpeg is not installed; the samples have no video.");
            return null;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
