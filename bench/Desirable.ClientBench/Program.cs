using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Desirable.Aws.CloudFormation;
using Desirable.Hosting.Aws.Deployment;
using Desirable.Hosting.Samples;
using Desirable.Hosting.Tools;
using Desirable.Testing;
using Microsoft.Playwright;

// The web client as a visitor of a stage gets it: the client published as a deployment publishes it (Release, trimmed,
// precompressed), served by the web host as the Web stack's CloudFront serves it (PublishedSite: compressed, fingerprinted
// files cached for a year, the page revalidated), through the gateway of the whole app in embedded mode, a library of
// 500 processed items, Chromium on loopback. Prints the bytes transferred (compressed, as on the wire, HTTP/1.1 headers
// included) on the first visit (sign-in included; the client's own files apart from the library's thumbnails and the
// API's answers) and on a repeat visit, each visit counted until the page stops asking, and the time from navigation to
// the first thumbnail painted on a repeat visit with where that time went; beside them, from the same first visit, the
// bytes of the .NET WebAssembly runtime files alone (what any Blazor WebAssembly page pays).
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

// The client as StageSite publishes it for a deployment, and the web host serving those files instead of its build.
Console.WriteLine("Publishing the web client (Release)…");
var appHostDirectory = Projects.Desirable_AppHost.ProjectPath; // the AppHost's folder (the marker type of a test builder names no .csproj)
string site;
try
{
    site = await StageSite.PublishAsync(StageSite.ClientProject(appHostDirectory), Path.Combine(data, "client"), ToolProcess.RunAsync, CancellationToken.None);
}
catch (StackDeploymentException failure)
{
    Console.Error.WriteLine(failure.Message);
    return 1;
}

var builder = await BenchmarkAppHost.CreateEmbeddedAsync<Projects.Desirable_AppHost>(data);
builder.CreateResourceBuilder<ProjectResource>("web").WithEnvironment("Web__SiteDirectory", site); // Desirable.Web's PublishedSite
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
// A visit ends when the page stops asking: the next page of the list and the thumbnails the browser fetches ahead of
// the scroll (native lazy loading) belong to the visit that asked for them.
await wire.WaitForQuietAsync();
var first = wire.TakeTotals();

var repeats = new List<(long Bytes, double Milliseconds, IReadOnlyList<(string Path, long Bytes)> Largest, int Requests, string Timeline)>();
for (var visit = 0; visit < visits; visit++)
{
    var watch = Stopwatch.StartNew();
    await page.ReloadAsync(new() { WaitUntil = WaitUntilState.Commit });
    await page.WaitForFunctionAsync(FirstThumbnail, null, new() { Timeout = 60_000, PollingInterval = 10 });
    var elapsed = watch.Elapsed.TotalMilliseconds;
    var timeline = await page.EvaluateAsync<string>(Timeline.Script);
    await wire.WaitForQuietAsync();
    var totals = wire.TakeTotals();
    repeats.Add((totals.Bytes, elapsed, totals.Largest, totals.Requests, Timeline.Describe(timeline)));
}

Console.WriteLine();
Console.WriteLine("The first visit by kind:");
foreach (var (kind, (bytes, requests)) in first.ByKind.OrderByDescending(k => k.Value.Bytes))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {bytes / 1024.0,8:F1} KB in {requests,3} requests  {kind}"));
}

Console.WriteLine("The first visit's largest downloads:");
foreach (var (path, bytes) in first.Largest)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {bytes / 1024.0,8:F1} KB  {path}"));
}

Console.WriteLine("Each repeat visit: " + string.Join(", ", repeats.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Bytes / 1024.0:F1} KB in {r.Milliseconds:F0} ms"))));
var medianBytes = repeats.Select(r => r.Bytes).Order().ElementAt(repeats.Count / 2);
repeats.Sort((a, b) => a.Milliseconds.CompareTo(b.Milliseconds));
var median = repeats[repeats.Count / 2];
Console.WriteLine("The repeat visit of median time, from navigation (ms): " + median.Timeline);
Console.WriteLine($"Its largest downloads (of {median.Requests} requests):");
foreach (var (path, bytes) in median.Largest)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {bytes / 1024.0,8:F1} KB  {path}"));
}

Console.WriteLine();
Console.WriteLine("| measure | value |");
Console.WriteLine("|---|---:|");
// The client is what the goal is about: its own files and sign-in; the library's thumbnails and the API's answers are
// the user's data (48 thumbnails on a first screen), shown beside it.
var clientBytes = first.ByKind.Where(k => k.Key is not (WireCounter.MediaBytes or WireCounter.ApiAnswers)).Sum(k => k.Value.Bytes);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| first visit: the client (its files and sign-in, compressed bytes on the wire) | {clientBytes / 1024.0:F0} KB |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| first visit: everything, with the library's thumbnails and the API's answers | {first.Bytes / 1024.0:F0} KB in {first.Requests} requests |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| reference: the .NET WebAssembly runtime files of that visit | {first.RuntimeBytes / 1024.0:F0} KB |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| repeat visit (median of {visits}) | {medianBytes / 1024.0:F1} KB |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| repeat visit: navigation to the first thumbnail painted (median of {visits}) | {median.Milliseconds:F0} ms |"));
Console.WriteLine();
if (smoke)
{
    Console.WriteLine("Smoke run: no targets are judged.");
}
else
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The client on a first visit under 2.5 MB: {(clientBytes < 2.5 * 1024 * 1024 ? "met" : "NOT met")}; " +
        $"repeat visit under 100 KB: {(medianBytes < 100 * 1024 ? "met" : "NOT met")}; first thumbnail under 1.5 s: {(median.Milliseconds < 1500 ? "met" : "NOT met")}"));
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
    private readonly List<(string Url, long Bytes)> _downloads = [];
    private readonly Dictionary<string, (long Bytes, int Requests)> _byKind = [];
    private long _bytes;
    private long _runtimeBytes;
    private int _requests;

    public const string MediaBytes = "thumbnails and other media bytes";
    public const string ApiAnswers = "the API's answers";

    private int _inFlight;
    private long _lastActivity = Environment.TickCount64;

    public async Task StartAsync()
    {
        cdp.Event("Network.requestWillBeSent").OnEvent += (_, _) =>
        {
            Interlocked.Increment(ref _inFlight);
            Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
        };
        cdp.Event("Network.loadingFailed").OnEvent += (_, _) => Settled();
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

            Settled();
            var length = (long)body.GetProperty("encodedDataLength").GetDouble();
            lock (_urls)
            {
                _bytes += length;
                _requests++;
                var url = _urls.GetValueOrDefault(body.GetProperty("requestId").GetString()!, "?");
                _downloads.Add((url, length));
                var kind = Kind(url);
                var (kindBytes, kindRequests) = _byKind.GetValueOrDefault(kind);
                _byKind[kind] = (kindBytes + length, kindRequests + 1);
                if (url.Contains("/_framework/dotnet.", StringComparison.Ordinal))
                {
                    _runtimeBytes += length;
                }
            }
        };
        await cdp.SendAsync("Network.enable");
    }

    /// <summary>Waits until nothing is in flight and nothing has started for a second (at most 30 s).</summary>
    public async Task WaitForQuietAsync()
    {
        var deadline = Environment.TickCount64 + 30_000;
        while (Environment.TickCount64 < deadline &&
            (Volatile.Read(ref _inFlight) > 0 || Environment.TickCount64 - Interlocked.Read(ref _lastActivity) < 1000))
        {
            await Task.Delay(100);
        }
    }

    private void Settled()
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);
    }

    /// <summary>What a download is for: the .NET client, the page's own files, the API's answers, media bytes, sign-in.</summary>
    private static string Kind(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;
        return path switch
        {
            _ when path.StartsWith("/_framework/", StringComparison.Ordinal) => "the .NET client (_framework)",
            _ when path.StartsWith("/v3.0/media/", StringComparison.Ordinal) && path.Count(c => c == '/') >= 4 => MediaBytes,
            _ when path.StartsWith("/v3.0/", StringComparison.Ordinal) => ApiAnswers,
            _ when path.StartsWith("/connect/", StringComparison.Ordinal) || path.StartsWith("/signin", StringComparison.Ordinal)
                || path.StartsWith("/.well-known/", StringComparison.Ordinal) || path.StartsWith("/authentication/", StringComparison.Ordinal) => "sign-in",
            _ => "the page (html, scripts, styles, settings)",
        };
    }

    /// <summary>What was counted since the last call, with its largest downloads (path and bytes).</summary>
    public (long Bytes, long RuntimeBytes, int Requests, IReadOnlyList<(string Path, long Bytes)> Largest, IReadOnlyDictionary<string, (long Bytes, int Requests)> ByKind) TakeTotals()
    {
        lock (_urls)
        {
            var byKind = new Dictionary<string, (long Bytes, int Requests)>(_byKind);
            _byKind.Clear();
            var largest = _downloads.OrderByDescending(d => d.Bytes).Take(12)
                .Select(d => (Uri.TryCreate(d.Url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : d.Url, d.Bytes)).ToList();
            var totals = (_bytes, _runtimeBytes, _requests, largest, byKind);
            (_bytes, _runtimeBytes, _requests) = (0, 0, 0);
            _downloads.Clear();
            return totals;
        }
    }
}

/// <summary>Where a repeat visit's time goes, from the page's own resource timings and marks (ms since navigation).</summary>
internal static class Timeline
{
    public const string Script = """
        () => JSON.stringify([
            ...performance.getEntriesByType('resource').map(e => [new URL(e.name).pathname, Math.round(e.startTime), Math.round(e.responseEnd)]),
            ...performance.getEntriesByType('mark').map(e => [e.name, Math.round(e.startTime), Math.round(e.startTime)])])
        """;

    private static readonly (string Label, Func<string, bool> Matches)[] Milestones =
    [
        ("runtime script", p => p.StartsWith("/_framework/blazor.webassembly", StringComparison.Ordinal)),
        ("runtime wasm", p => p.StartsWith("/_framework/dotnet.native", StringComparison.Ordinal) && p.EndsWith(".wasm", StringComparison.Ordinal)),
        ("app settings (.NET running)", p => p == "/client-settings.json"),
        ("sign-in started by js/start.js", p => p == "desirable:sign-in-started-early"),
        ("sign-in check", p => p.StartsWith("/.well-known/openid-configuration", StringComparison.Ordinal)),
        ("token", p => p.StartsWith("/connect/token", StringComparison.Ordinal) || p.StartsWith("/connect/authorize", StringComparison.Ordinal)),
        ("first list", p => p == "/v3.0/media"),
        ("first thumbnail", p => p.EndsWith("/variants/thumb", StringComparison.Ordinal)),
    ];

    public static string Describe(string json)
    {
        var entries = System.Text.Json.JsonSerializer.Deserialize<List<System.Text.Json.JsonElement>>(json) ?? [];
        var parts = new List<string>();
        foreach (var (label, matches) in Milestones)
        {
            var entry = entries.FirstOrDefault(e => matches(e[0].GetString()!));
            if (entry.ValueKind != System.Text.Json.JsonValueKind.Undefined)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{label} {entry[1].GetInt32()}-{entry[2].GetInt32()}"));
            }
        }

        return string.Join(", ", parts);
    }
}
