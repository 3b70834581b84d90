using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Desirable.Hosting.Samples;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Desirable.AppHost.Tests;

/// <summary>The media resource's first-start commands, run on the running app: sample media, then a reset.</summary>
[Collection(RunningAppHost.Name)]
public sealed class SampleMediaCommandTests(AppHostFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SeedUploadsSamplesForAliceAndBobThatGetProcessedAndResetDeletesEverythingOfEveryone()
    {
        var commands = app.App.Services.GetRequiredService<ResourceCommandService>();
        using var ada = app.App.CreateHttpClient("gateway", await app.App.TokenAsync(SampleMedia.Ada));

        var seeded = await commands.ExecuteCommandAsync("media", SampleMediaCommandExtensions.SeedCommand, Ct);

        Assert.True(seeded.Success, seeded.Message);
        var items = await ListAllAsync(ada);
        foreach (var (owner, name, _, _) in SampleMedia.Images)
        {
            Assert.Contains(items, item => item.GetProperty("displayName").GetString() == name && item.GetProperty("owner").GetString() == owner);
        }

        var video = items.Single(item => item.GetProperty("displayName").GetString() == SampleMedia.VideoName);
        Assert.Equal("Video", video.GetProperty("kind").GetString());
        var landscape = items.First(item => item.GetProperty("displayName").GetString() == SampleMedia.Images[0].Name);
        var ready = await app.WaitForFinalStatusAsync(landscape.GetProperty("id").GetString()!, ada);
        Assert.Equal("Ready", ready.GetProperty("status").GetString());
        Assert.Equal(SampleMedia.Images[0].Width, ready.GetProperty("width").GetInt32());

        var reset = await commands.ExecuteCommandAsync("media", SampleMediaCommandExtensions.ResetCommand, Ct);

        Assert.True(reset.Success, reset.Message);
        Assert.Matches(@"^Deleted \d+ items of every user", reset.Message);
        Assert.Empty(await ListAllAsync(ada));
        // The files went with their items: the bucket is empty once deletes in flight have finished.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await app.BucketContentsAsync()).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250, Ct);
        }

        Assert.Empty(await app.BucketContentsAsync());
    }

    [Fact]
    public void TheSampleLandscapesAreRealPngsOfTheirSizeAndDifferForEachSeed()
    {
        using var first = SKBitmap.Decode(SampleImages.Landscape(320, 200, 1));
        using var second = SKBitmap.Decode(SampleImages.Landscape(320, 200, 2));
        using var again = SKBitmap.Decode(SampleImages.Landscape(320, 200, 1));

        Assert.Equal((320, 200), (first.Width, first.Height));
        Assert.Equal(first.Bytes, again.Bytes);
        Assert.NotEqual(first.Bytes, second.Bytes);
    }

    private static async Task<List<JsonElement>> ListAllAsync(HttpClient client)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>(
                cursor is null ? "/v3.0/media?limit=100" : $"/v3.0/media?limit=100&cursor={Uri.EscapeDataString(cursor)}", Ct);
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return items;
    }
}
