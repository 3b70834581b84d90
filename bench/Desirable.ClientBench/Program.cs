using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Desirable.Hosting.Samples;
using Desirable.Testing;
using Microsoft.Playwright;

// The web client as a visitor gets it: the web host's client (the build of this benchmark's configuration) served
// through the gateway of the whole app in embedded mode, a library of 500 processed items, Chromium on loopback. Prints
// the bytes transferred (compressed, as on the wire) on the first visit (sign-in included) and on a repeat visit, and
// the time from navigation to the first thumbnail painted on a repeat visit; beside them, from the same first visit,
// the bytes of the .NET WebAssembly runtime files alone (what any Blazor WebAssembly page pays).
// Usage: dotnet run -c Release --project bench/Desirable.ClientBench [-- --items N] [--smoke]
// --smoke: 10 items, one repeat visit, no targets; the test run uses it.

const string Chromium = "/usr/bin/chromium";
var smoke = args.Contains("--smoke");
var itemCount = smoke ? 10 : args.SkipWhile(a => a != "--items").Skip(1).Select(int.Parse).FirstOrDefault(500);
var visits = smoke ? 1 : 5;
if (!File.Exists(Chromium))
{
    Console.Error.WriteLine($"Needs Chromium at {Chromium} (Debian: apt-get install chromium).");
    return 2;
}

var data = Directory.CreateTempSubdirectory("desirable-client-bench-").FullName;
Console.WriteLine($"Desirable web client benchmark · {Environment.ProcessorCount} cores · {itemCount} items · {visits} repeat visits");

// The web host as the AppHost runs it, in the configuration this benchmark was built in (Release with -c Release).
// The published client is what AWS serves (from S3 through CloudFront, see StageSite); serving that here is still to
// come, because the web host's own publish output serves index.html with its asset placeholders unresolved.
var builder = await BenchmarkAppHost.CreateEmbeddedAsync<Projects.Desirable_AppHost>(data);
await using var app = await builder.BuildAsync();
await app.StartAsync();
await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway");
await app.ResourceNotifications.WaitForResourceHealthyAsync("processor");

// The library: Alice's items, straight to the media service (the gateway would count them against her window).
Console.WriteLine($"Uploading and processing {itemCount} items…");
using (var issuer = app.CreateHttpClient("identity"))
using (var media = app.CreateHttpClient("media"))
{
    media.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
        await ClientCredentials.TokenAsync(issuer, SampleMedia.Alice, CancellationToken.None));
    await Parallel.ForEachAsync(Enumerable.Range(1, itemCount), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(SampleImages.Landscape(480, 320, i));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", $"landscape-{i:D3}.png");
        using var response = await media.PostAsync("/v3.0/media", form, ct);
        response.EnsureSuccessStatusCode();
    });
    var deadline = DateTime.UtcNow.AddMinutes(5);
    while (await PendingAsync(media) && DateTime.UtcNow < deadline)
    {
        await Task.Delay(1000);
    }
}

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = Chromium,
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
var context = await browser.NewContextAsync(new() { BaseURL = app.GetEndpoint("gateway", "http").ToString(), ViewportSize = new() { Width = 1280, Height = 800 } });
var page = await context.NewPageAsync();
var console = new List<string>();
page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");
page.PageError += (_, error) => console.Add($"page error: {error}");
var wire = new WireCounter(await context.NewCDPSessionAsync(page));
await wire.StartAsync();

const string FirstThumbnail = "() => { const i = document.querySelector('.tile img'); return !!i && i.complete && i.naturalWidth > 0; }";
await page.GotoAsync("/");
try
{
    await page.WaitForURLAsync("**/signin**", new() { Timeout = 120_000 });
}
catch (TimeoutException)
{
    Console.Error.WriteLine($"The page did not send the browser to sign in; it is at {page.Url} and says: {await page.Locator("body").InnerTextAsync()}");
    Console.Error.WriteLine(string.Join(Environment.NewLine, console.TakeLast(20)));
    return 1;
}
await page.Locator("#signin-alice").ClickAsync();
await page.WaitForFunctionAsync(FirstThumbnail, null, new() { Timeout = 120_000 });
await Task.Delay(500); // what the first paint started (the rest of the page's thumbnails) lands in this visit's count
var first = wire.TakeTotals();

var repeats = new List<(long Bytes, double Milliseconds)>();
for (var visit = 0; visit < visits; visit++)
{
    var watch = Stopwatch.StartNew();
    await page.ReloadAsync(new() { WaitUntil = WaitUntilState.Commit });
    await page.WaitForFunctionAsync(FirstThumbnail, null, new() { Timeout = 60_000, PollingInterval = 10 });
    var elapsed = watch.Elapsed.TotalMilliseconds;
    await Task.Delay(500);
    repeats.Add((wire.TakeTotals().Bytes, elapsed));
}

repeats.Sort((a, b) => a.Milliseconds.CompareTo(b.Milliseconds));
var median = repeats[repeats.Count / 2];
Console.WriteLine();
Console.WriteLine("| measure | value |");
Console.WriteLine("|---|---:|");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| first visit, sign-in included (compressed bytes on the wire) | {first.Bytes / 1024.0:F0} KB in {first.Requests} requests |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| reference: the .NET WebAssembly runtime files of that visit | {first.RuntimeBytes / 1024.0:F0} KB |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| repeat visit (median of {visits}) | {median.Bytes / 1024.0:F1} KB |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| repeat visit: navigation to the first thumbnail painted (median of {visits}) | {median.Milliseconds:F0} ms |"));
Console.WriteLine();
if (smoke)
{
    Console.WriteLine("Smoke run: no targets are judged.");
}
else
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"First visit under 2.5 MB: {(first.Bytes < 2.5 * 1024 * 1024 ? "met" : "NOT met")}; " +
        $"repeat visit under 100 KB: {(median.Bytes < 100 * 1024 ? "met" : "NOT met")}; first thumbnail under 1.5 s: {(median.Milliseconds < 1500 ? "met" : "NOT met")}"));
}

await app.StopAsync();
Directory.Delete(data, recursive: true);
return 0;

static async Task<bool> PendingAsync(HttpClient media)
{
    foreach (var status in new[] { "Uploaded", "Processing" })
    {
        var page = await media.GetFromJsonAsync<JsonElement>($"/v3.0/media?limit=1&status={status}");
        if (page.GetProperty("items").GetArrayLength() > 0)
        {
            return true;
        }
    }

    return false;
}

/// <summary>Counts what crosses the wire (encodedDataLength: compressed bodies and headers; cache hits count nothing).</summary>
internal sealed class WireCounter(ICDPSession cdp)
{
    private readonly Dictionary<string, string> _urls = [];
    private long _bytes;
    private long _runtimeBytes;
    private int _requests;

    public async Task StartAsync()
    {
        cdp.Event("Network.responseReceived").OnEvent += (_, e) =>
        {
            if (e is { } body)
            {
                lock (_urls)
                {
                    _urls[body.GetProperty("requestId").GetString()!] = body.GetProperty("response").GetProperty("url").GetString()!;
                }
            }
        };
        cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
        {
            if (e is not { } body)
            {
                return;
            }

            var length = (long)body.GetProperty("encodedDataLength").GetDouble();
            lock (_urls)
            {
                _bytes += length;
                _requests++;
                if (_urls.TryGetValue(body.GetProperty("requestId").GetString()!, out var url) && url.Contains("/_framework/dotnet.", StringComparison.Ordinal))
                {
                    _runtimeBytes += length;
                }
            }
        };
        await cdp.SendAsync("Network.enable");
    }

    /// <summary>What was counted since the last call.</summary>
    public (long Bytes, long RuntimeBytes, int Requests) TakeTotals()
    {
        lock (_urls)
        {
            var totals = (_bytes, _runtimeBytes, _requests);
            (_bytes, _runtimeBytes, _requests) = (0, 0, 0);
            return totals;
        }
    }
}
