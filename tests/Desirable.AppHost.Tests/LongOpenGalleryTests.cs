using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Desirable.AppHost.Tests.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Desirable.AppHost.Tests;

/// <summary>
/// A gallery left open longer than its signed URLs last: a thumbnail the browser had not loaded before its URL ended
/// loads once the page has asked for the item's fresh URLs. Its own app (embedded mode) with signed URLs of a minute
/// (the shortest the service takes: the test waits 30 to 60 s), in a real headless Chromium; the first requests for
/// the thumbnail are made to fail in the browser (the one stand-in: a download that did not happen), so the tile is
/// still empty when its URL ends.
/// </summary>
public sealed class LongOpenGalleryTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("desirable-long-open-").FullName;
    private DistributedApplication? _app;

    public async ValueTask InitializeAsync()
    {
        if (BrowserSession.SkipReason is not null)
        {
            return;
        }

        _app = await EmbeddedAppHost.StartAsync(_data, builder => builder.CreateResourceBuilder<ProjectResource>("media")
            .WithEnvironment("SignedUrls__Lifetime", "00:01:00"));
    }

    [Fact]
    public async Task AThumbnailWhoseUrlEndedBeforeItLoadedLoadsWithTheItemsFreshUrls()
    {
        if (BrowserSession.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var app = _app!;
        var gateway = app.GetEndpoint("gateway", "http");
        using var alice = app.CreateHttpClient("gateway", await app.TokenAsync(SignedInClients.Alice));
        using var upload = await alice.PostAsync("/v3.0/media", TestMedia.Form(("evening.jpg", TestImages.Jpeg(640, 480))), TestContext.Current.CancellationToken);
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetString();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await alice.GetFromJsonAsync<JsonElement>($"/v3.0/media/{id}", TestContext.Current.CancellationToken)).GetProperty("status").GetString() != "Ready")
        {
            Assert.True(DateTime.UtcNow < deadline, "The upload was not processed within a minute.");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        await using var browser = await BrowserSession.StartAsync();
        // The thumbnail's failed downloads are this scenario's doing, not the page's.
        browser.Expected = text => text.Contains("ERR_FAILED", StringComparison.Ordinal) || text.Contains("Failed to load resource", StringComparison.Ordinal);
        var page = await browser.NewPageAsync(gateway);
        var failed = new List<string>();
        var thumbnails = new Regex("/variants/thumb\\?");
        await page.RouteAsync(thumbnails, async route =>
        {
            lock (failed)
            {
                failed.Add(route.Request.Url);
            }

            await route.AbortAsync("failed");
        });
        await browser.SignInAsync(page, app.GetEndpoint("identity", "http"), "alice");
        var tile = page.Locator($".tile[data-id='{id}'] img");
        await Expect(tile).ToHaveCountAsync(1);
        var tried = DateTime.UtcNow.AddSeconds(30);
        while (FailedCount() == 0 && DateTime.UtcNow < tried)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await page.UnrouteAsync(thumbnails);
        Assert.True(FailedCount() > 0, "The browser never asked for the thumbnail.");

        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await tile.ElementHandleAsync(), new() { Timeout = 90_000 });
        var source = await tile.GetAttributeAsync("src");
        Assert.DoesNotContain(failed, url => url.EndsWith(source!, StringComparison.Ordinal));
        Assert.True(browser.Errors.Count == 0, string.Join(Environment.NewLine, browser.Errors));

        int FailedCount()
        {
            lock (failed)
            {
                return failed.Count;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_data, recursive: true);
    }
}
