using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Desirable.AppHost.Tests;

/// <summary>
/// The web page in a real headless Chromium (Debian's; Playwright cannot download browsers here), served through
/// the gateway of the running app, signing in at the running local issuer.
/// </summary>
[Collection(RunningAppHost.Name)]
public sealed class WebPageTests(AppHostFixture app)
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly byte[] Jpeg = TestImages.Jpeg(1200, 900);

    [Fact]
    public async Task ThePageSignsInUploadsAFileListsItDownloadsItAndDeletesIt()
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.Skip($"Needs Chromium at {ChromiumPath} (Debian: apt-get install chromium; .ci/run installs it).");
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new() { BaseURL = app.Gateway.BaseAddress!.ToString() });
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => consoleErrors.Add(error);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                consoleErrors.Add($"{response.Status} {response.Url}");
            }
        };

        await page.GotoAsync("/");
        // The page sends a visitor to the issuer's sign-in page first. The first visit downloads and starts the .NET
        // WebAssembly runtime; on two busy cores that takes a while.
        var issuer = app.App.GetEndpoint("identity", "http").GetLeftPart(UriPartial.Authority);
        await page.WaitForURLAsync($"{issuer}/signin**", new() { Timeout = 60_000 });
        await page.Locator("#signin-alice").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Media", Exact = true }))
            .ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator(".account .user")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Alice"));

        var name = $"browser-{Guid.NewGuid():N}.jpg";
        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = name, MimeType = "image/jpeg", Buffer = Jpeg });
        await page.Locator("#upload").ClickAsync();

        var row = page.Locator("table.media tbody tr", new() { HasText = name });
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("Image");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Uploaded {name}");

        // Processing runs in the background; the page follows until the item is Ready and shows its thumbnail.
        await Expect(row.Locator("td.status")).ToHaveTextAsync("Ready", new() { Timeout = 60_000 });
        var thumbnail = row.Locator("td.thumb img");
        await Expect(thumbnail).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await thumbnail.ElementHandleAsync());
        Assert.Equal(320, await thumbnail.EvaluateAsync<int>("img => img.naturalWidth"));
        // The browser loads it itself from its signed URL (and may cache it), not a data: URL the page fetched with the token.
        Assert.Matches(@"^/v3\.0/media/[0-9a-f-]{36}/variants/thumb\?expires=\d+&sig=", await thumbnail.GetAttributeAsync("src"));

        // The link in the list downloads the very bytes that went up (fetched with the page's token).
        var download = await page.RunAndWaitForDownloadAsync(() => row.Locator("a").ClickAsync());
        Assert.Equal(name, download.SuggestedFilename);
        Assert.Equal(Jpeg, await File.ReadAllBytesAsync(await download.PathAsync(), TestContext.Current.CancellationToken));

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);

        // Signing out ends the session at the issuer too: the next visit asks who you are again.
        await page.Locator("#signout").ClickAsync();
        await Expect(page.GetByText("Signed out.")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }
}
