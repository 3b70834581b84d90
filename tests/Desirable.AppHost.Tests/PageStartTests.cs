using Desirable.AppHost.Tests.Browser;
using Microsoft.Playwright;

namespace Desirable.AppHost.Tests;

/// <summary>
/// How the page starts on a visit after the first (the client's js/start.js), in a real headless Chromium through the
/// gateway of the running app: the silent sign-in starts beside the .NET boot and Blazor's own check joins it (one
/// sign-in, not two), the hidden sign-in frame boots no .NET, a new tab starts early from the settings this browser
/// kept, and settings of another client are not used.
/// </summary>
[Collection(RunningAppHost.Name)]
public sealed class PageStartTests(AppHostFixture app)
{
    // The mark js/start.js leaves when it starts the sign-in itself.
    private const string StartedEarly = "() => performance.getEntriesByName('desirable:sign-in-started-early').length";

    private Uri Gateway => app.Gateway.BaseAddress!;

    private Uri Issuer => app.App.GetEndpoint("identity", "http");

    [Fact]
    public async Task AReloadAndANewTabSignInBesideTheBootOnceAndTheHiddenFrameBootsNoDotNet()
    {
        if (BrowserSession.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.NewPageAsync(Gateway);
        await browser.SignInAsync(page, Issuer, "bob");
        Assert.Equal(0, await page.EvaluateAsync<int>(StartedEarly)); // a first visit has nothing to start from

        var requests = Record(page);
        await page.ReloadAsync();
        await BrowserSession.ExpectGalleryAsync(page);
        Assert.Equal(1, await page.EvaluateAsync<int>(StartedEarly));
        lock (requests)
        {
            Assert.Single(requests, r => r.Path == "/connect/authorize");
            Assert.Contains(requests, r => r.InFrame && r.Path == "/authentication/login-callback");
            Assert.DoesNotContain(requests, r => r.InFrame && r.Path.EndsWith(".wasm", StringComparison.Ordinal));
        }

        // A new tab has no session storage of its own; the settings this browser kept start it early all the same.
        var tab = await page.Context.NewPageAsync();
        var tabRequests = Record(tab);
        await tab.GotoAsync("/");
        await BrowserSession.ExpectGalleryAsync(tab);
        Assert.Equal(1, await tab.EvaluateAsync<int>(StartedEarly));
        lock (tabRequests)
        {
            Assert.DoesNotContain(tabRequests, r => r.Path == "/signin");
        }

        Assert.True(browser.Errors.Count == 0, string.Join(Environment.NewLine, browser.Errors));
    }

    [Fact]
    public async Task KeptSettingsOfAnotherClientAreNotUsedAndThePageStillSignsIn()
    {
        if (BrowserSession.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.NewPageAsync(Gateway);
        await browser.SignInAsync(page, Issuer, "bob");
        await page.ReloadAsync(); // keeps this tab's settings for the browser
        await BrowserSession.ExpectGalleryAsync(page);
        await page.EvaluateAsync("""
            () => {
                const kept = JSON.parse(localStorage.getItem('desirable.signin'));
                localStorage.setItem('desirable.signin', JSON.stringify({ ...kept, client_id: 'someone-elses-client' }));
            }
            """);

        var tab = await page.Context.NewPageAsync();
        var requests = Record(tab);
        await tab.GotoAsync("/");
        await BrowserSession.ExpectGalleryAsync(tab);
        Assert.Equal(0, await tab.EvaluateAsync<int>(StartedEarly));
        lock (requests)
        {
            Assert.DoesNotContain(requests, r => r.Query.Contains("someone-elses-client", StringComparison.Ordinal));
        }

        Assert.True(browser.Errors.Count == 0, string.Join(Environment.NewLine, browser.Errors));
    }

    /// <summary>The page's requests from now on: path, query and whether a frame inside the page made it.</summary>
    private static List<(string Path, string Query, bool InFrame)> Record(IPage page)
    {
        var requests = new List<(string Path, string Query, bool InFrame)>();
        page.Request += (_, request) =>
        {
            var url = new Uri(request.Url);
            lock (requests)
            {
                requests.Add((url.AbsolutePath, url.Query, request.Frame.ParentFrame is not null));
            }
        };
        return requests;
    }
}
