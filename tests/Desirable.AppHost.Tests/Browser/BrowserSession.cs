using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Desirable.AppHost.Tests.Browser;

/// <summary>
/// A real headless Chromium (Debian's; Playwright cannot download browsers here) on the running app's gateway, which
/// records every console error, page error and failed response, and signs in at the running local issuer.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <summary>Answers the page gave that a scenario expects (a refused upload), so they do not count as errors.</summary>
    public Func<string, bool> Expected { get; set; } = _ => false;

    public List<string> Errors { get; } = [];

    public static string? SkipReason => File.Exists(ChromiumPath)
        ? null
        : $"Needs Chromium at {ChromiumPath} (Debian: apt-get install chromium; .ci/run installs it).";

    public static async Task<BrowserSession> StartAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        return new BrowserSession(playwright, browser);
    }

    /// <summary>A page in a context of its own (its own sign-in), at the given size.</summary>
    public async Task<IPage> NewPageAsync(Uri gateway, int width = 1280, int height = 800)
    {
        var context = await _browser.NewContextAsync(new()
        {
            BaseURL = gateway.ToString(),
            ViewportSize = new() { Width = width, Height = height },
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !Expected(message.Text))
            {
                Errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => Errors.Add(error);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !Expected($"{response.Status} {response.Url}"))
            {
                Errors.Add($"{response.Status} {response.Url}");
            }
        };
        return page;
    }

    /// <summary>
    /// Opens the app, which sends a visitor to the issuer's sign-in page, and signs in as <paramref name="user"/>
    /// (alice, bob, vera, ada). The first visit downloads and starts the .NET WebAssembly runtime: slow on two busy cores.
    /// </summary>
    public async Task SignInAsync(IPage page, Uri issuer, string user)
    {
        await page.GotoAsync("/");
        try
        {
            await page.WaitForURLAsync($"{issuer.GetLeftPart(UriPartial.Authority)}/signin**", new() { Timeout = 60_000 });
        }
        catch (TimeoutException e)
        {
            var text = await page.Locator("body").InnerTextAsync();
            throw new TimeoutException($"The issuer's sign-in page did not come; the page is at {page.Url} and says: {text}; errors: {string.Join(" | ", Errors)}", e);
        }
        await page.Locator($"#signin-{user}").ClickAsync();
        await ExpectGalleryAsync(page);
    }

    /// <summary>Waits for the signed-in gallery (its heading), which on two busy cores can take a while.</summary>
    public static async Task ExpectGalleryAsync(IPage page) =>
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Media", Exact = true })).ToBeVisibleAsync(new() { Timeout = 60_000 });

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
