using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Desirable.AppHost.Tests.Browser;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Desirable.AppHost.Tests;

/// <summary>
/// A large drop waiting to be processed, in a real headless Chromium through the gateway of the running app: the
/// gallery follows its pending items with two list requests a tick however many there are (a request per item would use
/// up the gateway's window of 600 a minute), and asks for each item once it has finished. The processor is stopped
/// (the dashboard's Stop command) while the items wait, and started again.
/// </summary>
[Collection(RunningAppHost.Name)]
public sealed class PendingItemsTests(AppHostFixture app)
{
    private const int Count = 12;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ManyPendingItemsCostTwoListRequestsATickAndEachFinishedItemIsAskedForOnce()
    {
        if (BrowserSession.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var commands = app.App.Services.GetRequiredService<ResourceCommandService>();
        var stopped = await commands.ExecuteCommandAsync("processor", KnownResourceCommands.StopCommand, Ct);
        Assert.True(stopped.Success, stopped.Message);
        var links = new List<string>();
        try
        {
            for (var i = 0; i < Count; i++)
            {
                using var form = new MultipartFormDataContent();
                var part = new ByteArrayContent(TestImages.Jpeg(64 + i, 48));
                part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                form.Add(part, "file", $"waiting-{i}-{Guid.NewGuid():N}.jpg");
                using var uploaded = await app.GatewayAsBob.PostAsync("/v3.0/media", form, Ct);
                uploaded.EnsureSuccessStatusCode();
                links.Add((await uploaded.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("links").GetProperty("self").GetString()!);
            }

            await using var browser = await BrowserSession.StartAsync();
            var page = await browser.NewPageAsync(app.Gateway.BaseAddress!);
            await browser.SignInAsync(page, app.App.GetEndpoint("identity", "http"), "bob");
            await Expect(page.Locator(".tile.uploaded", new() { HasText = "waiting-" })).ToHaveCountAsync(Count, new() { Timeout = 30_000 });

            var requests = new List<string>();
            page.Request += (_, request) =>
            {
                lock (requests)
                {
                    requests.Add(new Uri(request.Url).PathAndQuery);
                }
            };
            await page.WaitForTimeoutAsync(4_600); // three ticks of 1.5 s
            lock (requests)
            {
                Assert.DoesNotContain(requests, r => links.Contains(r));
                var lists = requests.Count(r => r.StartsWith("/v3.0/media?", StringComparison.Ordinal) && r.Contains("status=", StringComparison.Ordinal));
                Assert.InRange(lists, 4, 8); // two a tick, three or four ticks
            }

            var started = await commands.ExecuteCommandAsync("processor", KnownResourceCommands.StartCommand, Ct);
            Assert.True(started.Success, started.Message);
            await page.WaitForFunctionAsync(
                "count => [...document.querySelectorAll('.tile')].filter(t => t.textContent.includes('waiting-'))" +
                ".filter(t => { const i = t.querySelector('img'); return i && i.complete && i.naturalWidth > 0; }).length >= count",
                Count, new() { Timeout = 120_000 });
            lock (requests)
            {
                Assert.All(links, link => Assert.InRange(requests.Count(r => r == link), 1, 1));
            }

            Assert.True(browser.Errors.Count == 0, string.Join(Environment.NewLine, browser.Errors));
        }
        finally
        {
            await commands.ExecuteCommandAsync("processor", KnownResourceCommands.StartCommand, CancellationToken.None);
            await app.App.ResourceNotifications.WaitForResourceHealthyAsync("processor", CancellationToken.None);
            foreach (var link in links)
            {
                using var deleted = await app.GatewayAsBob.DeleteAsync(link, CancellationToken.None);
            }
        }
    }
}
