using System.Net;
using System.Net.Http.Headers;
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
        var content = new byte[300_000];
        new Random(7).NextBytes(content);
        content[0] = 0xFF;
        content[1] = 0xD8;
        content[2] = 0xFF;

        string id;
        await using (var first = await StartAsync())
        {
            using var gateway = first.CreateHttpClient("gateway");
            using var form = new MultipartFormDataContent();
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(part, "file", "kept.jpg");
            using var upload = await gateway.PostAsync("/v3.0/media", form, Ct);
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
            id = (await upload.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        }

        await using var second = await StartAsync();
        using var client = second.CreateHttpClient("gateway");
        var list = await client.GetFromJsonAsync<JsonElement>("/v3.0/media", Ct);
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
        Assert.Equal(content, await client.GetByteArrayAsync($"/v3.0/media/{id}/content", Ct));
    }

    private async Task<DistributedApplication> StartAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(4));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Desirable_AppHost>(
            ["--Desirable:Mode=embedded", $"--Desirable:DataDirectory={_data}"],
            (options, _) => options.DisableDashboard = true,
            timeout.Token);
        var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);
        return app;
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
