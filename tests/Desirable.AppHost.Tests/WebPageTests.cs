using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Desirable.AppHost.Tests.Browser;
using Desirable.Hosting.Samples;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Desirable.AppHost.Tests;

/// <summary>
/// The gallery in a real headless Chromium, served through the gateway of the running app, signed in at the running
/// local issuer: what Alice, Vera and Ada see and do, and an accessibility scan (axe-core) at desktop and phone widths.
/// </summary>
[Collection(RunningAppHost.Name)]
public sealed class WebPageTests(AppHostFixture app)
{
    private static readonly byte[] Jpeg = TestImages.Jpeg(1200, 900);

    private Uri Gateway => app.Gateway.BaseAddress!;

    private Uri Issuer => app.App.GetEndpoint("identity", "http");

    [Fact]
    public async Task AliceDropsFilesWatchesThemBecomeThumbnailsViewsPlaysDownloadsAndDeletes()
    {
        if (BrowserSession.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var video = await TestVideos.TryMakeMp4Async(320, 240, 3);
        Assert.SkipWhen(video is null, "Needs ffmpeg with libx264 to make the test video.");

        await using var browser = await BrowserSession.StartAsync();
        // The renamed executable is refused by the server, as it should be: that answer is not an error of the page.
        browser.Expected = text => text.Contains("415", StringComparison.Ordinal);
        var page = await browser.NewPageAsync(Gateway);
        await AxeCore.AddToAsync(page);
        await browser.SignInAsync(page, Issuer, "alice");
        await Expect(page.Locator(".account .user")).ToHaveTextAsync(new Regex("Alice"));

        // Uploads slowed to 150 KB/s, so that their progress can be seen.
        var network = await page.Context.NewCDPSessionAsync(page);
        await network.SendAsync("Network.enable");
        await network.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false,
            ["latency"] = 0,
            ["downloadThroughput"] = -1,
            ["uploadThroughput"] = 150_000,
        });

        var id = Guid.NewGuid().ToString("N")[..8];
        var photo = $"photo-{id}.jpg";
        var clip = $"clip-{id}.mp4";
        var huge = $"huge-{id}.jpg";
        var program = $"setup-{id}.jpg";
        await DropAsync(page,
            new DroppedFile(photo, "image/jpeg", Jpeg),
            new DroppedFile(clip, "video/mp4", video!),
            new DroppedFile(huge, "image/jpeg", new byte[AppHostFixture.MaxFileSizeBytes + 1]),
            new DroppedFile(program, "image/jpeg", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00]));

        // Each file has its line: progress while it goes up, then the outcome; the two bad ones say why.
        await Expect(Upload(page, photo).Locator("progress")).ToBeVisibleAsync();
        await Expect(Upload(page, huge)).ToContainTextAsync("File too large");
        await Expect(Upload(page, huge)).ToContainTextAsync("at most 1 MB");
        await Expect(Upload(page, program)).ToContainTextAsync("Unsupported file type", new() { Timeout = 30_000 });
        await Expect(Upload(page, photo)).ToContainTextAsync("Uploaded", new() { Timeout = 30_000 });
        await Expect(Upload(page, clip)).ToContainTextAsync("Uploaded", new() { Timeout = 30_000 });
        await network.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false,
            ["latency"] = 0,
            ["downloadThroughput"] = -1,
            ["uploadThroughput"] = -1,
        });

        // Both become thumbnails by themselves, without a reload.
        var photoTile = Tile(page, photo);
        var clipTile = Tile(page, clip);
        await Expect(photoTile.Locator("img")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(clipTile.Locator("img")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await photoTile.Locator("img").ElementHandleAsync());
        Assert.Matches(@"^/v3\.0/media/[0-9a-f-]{36}/variants/thumb\?expires=\d+&sig=", await photoTile.Locator("img").GetAttributeAsync("src"));

        Assert.Empty(await AxeCore.SeriousViolationsAsync(page));

        // The viewer: the preview, the details, next and previous with the keyboard.
        await photoTile.Locator("button.open").ClickAsync();
        var title = page.Locator("#viewer-title");
        await Expect(title).ToHaveTextAsync(photo);
        await Expect(page.Locator("dialog.viewer img")).ToHaveAttributeAsync("src", new Regex("/variants/preview\\?"));
        await Expect(page.Locator("dialog.viewer dl")).ToContainTextAsync("1200 × 900");
        var forward = await page.Locator("#viewer-next").IsEnabledAsync() ? "ArrowRight" : "ArrowLeft";
        var back = forward == "ArrowRight" ? "ArrowLeft" : "ArrowRight";
        await page.Keyboard.PressAsync(forward);
        await Expect(title).Not.ToHaveTextAsync(photo);
        await page.Keyboard.PressAsync(back);
        await Expect(title).ToHaveTextAsync(photo);
        Assert.Empty(await AxeCore.SeriousViolationsAsync(page));

        // The original downloads as the very bytes that went up.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#viewer-download").ClickAsync());
        Assert.Equal(photo, download.SuggestedFilename);
        Assert.Equal(Jpeg, await File.ReadAllBytesAsync(await download.PathAsync(), TestContext.Current.CancellationToken));
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("dialog.viewer")).Not.ToBeVisibleAsync();

        // The video plays in the page.
        await clipTile.Locator("button.open").ClickAsync();
        var player = page.Locator("dialog.viewer video");
        await Expect(player).ToBeVisibleAsync();
        await player.EvaluateAsync("video => { video.muted = true; return video.play(); }");
        await page.WaitForFunctionAsync("video => video.currentTime > 0.5", await player.ElementHandleAsync(), new() { Timeout = 30_000 });

        // Deleting it from the viewer takes it off the grid.
        await page.Locator("#viewer-delete").ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(clipTile).ToHaveCountAsync(0);
        await Expect(photoTile).ToHaveCountAsync(1);

        // A phone's width: the same page, still without serious accessibility problems.
        await page.SetViewportSizeAsync(390, 844);
        Assert.Empty(await AxeCore.SeriousViolationsAsync(page));

        // Signing out ends the session at the issuer too; signing in again comes back to the gallery.
        await page.Locator("#signout").ClickAsync();
        await Expect(page.GetByText("Signed out.")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await browser.SignInAsync(page, Issuer, "alice");
        await Expect(photoTile).ToHaveCountAsync(1);
        Assert.True(browser.Errors.Count == 0, string.Join(Environment.NewLine, browser.Errors));
    }

    [Fact]
    public async Task VeraSeesNoUploadControlsAndIsToldWhy()
    {
        if (BrowserSession.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.NewPageAsync(Gateway);
        await browser.SignInAsync(page, Issuer, "vera");

        await Expect(page.Locator("#upload-unavailable")).ToContainTextAsync("may view media but not upload it");
        await Expect(page.Locator("#add-files")).ToHaveCountAsync(0);
        Assert.True(browser.Errors.Count == 0, string.Join(Environment.NewLine, browser.Errors));
    }

    [Fact]
    public async Task AdaSeesAlicesItemsWithTheirOwner()
    {
        if (BrowserSession.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var name = $"alices-{Guid.NewGuid():N}.jpg";
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(Jpeg);
        part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(part, "file", name);
        using var uploaded = await app.Gateway.PostAsync("/v3.0/media", form, TestContext.Current.CancellationToken);
        uploaded.EnsureSuccessStatusCode();
        var self = (await uploaded.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("links").GetProperty("self").GetString();

        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.NewPageAsync(Gateway, 390, 844);
        await AxeCore.AddToAsync(page);
        await browser.SignInAsync(page, Issuer, "ada");

        var tile = Tile(page, name);
        await Expect(tile.Locator(".owner")).ToHaveTextAsync("alice", new() { Timeout = 30_000 });
        Assert.Empty(await AxeCore.SeriousViolationsAsync(page));
        Assert.True(browser.Errors.Count == 0, string.Join(Environment.NewLine, browser.Errors));
        (await app.Gateway.DeleteAsync(self, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Writes the README's screenshots (gallery.png, viewer.png) into the folder named by DESIRABLE_SCREENSHOTS, from the
    /// seeded samples; skipped otherwise. Run: DESIRABLE_SCREENSHOTS=$PWD/docs dotnet test tests/Desirable.AppHost.Tests
    /// --filter FullyQualifiedName~ScreenshotsForTheReadme
    /// </summary>
    [Fact]
    public async Task ScreenshotsForTheReadme()
    {
        var folder = Environment.GetEnvironmentVariable("DESIRABLE_SCREENSHOTS");
        if (string.IsNullOrEmpty(folder) || BrowserSession.SkipReason is not null)
        {
            Assert.Skip("Set DESIRABLE_SCREENSHOTS to a folder to write the README's screenshots (needs Chromium).");
        }

        var commands = app.App.Services.GetRequiredService<ResourceCommandService>();
        var seeded = await commands.ExecuteCommandAsync("media", SampleMediaCommandExtensions.SeedCommand, TestContext.Current.CancellationToken);
        Assert.True(seeded.Success, seeded.Message);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline &&
            (await app.Gateway.GetFromJsonAsync<JsonElement>("/v3.0/media?limit=100", TestContext.Current.CancellationToken)).GetProperty("items")
                .EnumerateArray().Any(i => i.GetProperty("status").GetString() is "Uploaded" or "Processing"))
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.NewPageAsync(Gateway, 1280, 800);
        await browser.SignInAsync(page, Issuer, "alice");
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.tile img')].length >= 9 && [...document.querySelectorAll('.tile img')].every(i => i.complete && i.naturalWidth > 0)");
        Directory.CreateDirectory(folder!);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder!, "gallery.png") });

        await Tile(page, SampleMedia.Images[0].Name).Locator("button.open").ClickAsync();
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('dialog.viewer img'); return i && i.complete && i.naturalWidth > 0; }");
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder!, "viewer.png") });

        var reset = await commands.ExecuteCommandAsync("media", SampleMediaCommandExtensions.ResetCommand, TestContext.Current.CancellationToken);
        Assert.True(reset.Success, reset.Message);
    }

    private static ILocator Upload(IPage page, string name) => page.Locator($".upload[data-name='{name}']");

    private static ILocator Tile(IPage page, string name) =>
        page.Locator(".tile").Filter(new() { Has = page.Locator("button.open", new() { HasText = name }) });

    private sealed record DroppedFile(string Name, string Type, byte[] Bytes);

    /// <summary>Drops files on the page as a user dragging them from the desktop would.</summary>
    private static async Task DropAsync(IPage page, params DroppedFile[] files)
    {
        var transfer = await page.EvaluateHandleAsync(
            """
            files => {
                const transfer = new DataTransfer();
                for (const f of files) {
                    const bytes = Uint8Array.from(atob(f.base64), c => c.charCodeAt(0));
                    transfer.items.add(new File([bytes], f.name, { type: f.type }));
                }
                return transfer;
            }
            """,
            files.Select(f => new { name = f.Name, type = f.Type, base64 = Convert.ToBase64String(f.Bytes) }).ToArray());
        await page.DispatchEventAsync("main", "dragover", new Dictionary<string, object> { ["dataTransfer"] = transfer });
        await page.DispatchEventAsync("main", "drop", new Dictionary<string, object> { ["dataTransfer"] = transfer });
    }
}
