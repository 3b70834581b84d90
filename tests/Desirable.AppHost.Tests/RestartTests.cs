using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;

namespace Desirable.AppHost.Tests;

/// <summary>Embedded mode keeps its state in the data folder: a second AppHost run sees the first run's media.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("desirable-restart-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MediaUploadedBeforeARestartIsStillListedAndDownloadable()
    {
        var content = TestMedia.JpegLike(300_000, seed: 7);

        string id;
        await using (var first = await EmbeddedAppHost.StartAsync(_data))
        {
            using var gateway = first.CreateHttpClient("gateway");
            using var upload = await gateway.PostAsync("/v3.0/media", TestMedia.Form(("kept.jpg", content)), Ct);
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
            id = (await upload.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        }

        await using var second = await EmbeddedAppHost.StartAsync(_data);
        using var client = second.CreateHttpClient("gateway");
        var list = await client.GetFromJsonAsync<JsonElement>("/v3.0/media", Ct);
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        Assert.Equal(content, await client.GetByteArrayAsync($"/v3.0/media/{id}/content", Ct));
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
