using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Desirable.MediaProcessor.Images;
using Desirable.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SkiaSharp;

// The load suite: uploaders (JPEGs of 1 KB to 20 MB, as the three creators, honouring Retry-After) and readers
// (list pages and content) through the gateway of the whole AppHost in embedded mode, for a while. It prints upload and
// list latencies, refusals and server errors, the media service's, processor's and gateway's memory (peak, and the
// slope after warm-up), the pipeline's rate (upload to Ready) beside the pure image path measured in the same run, and
// checks that every accepted item was processed. Traffic stays on loopback, bounded in count and time.
//
//   dotnet run -c Release --project bench/Desirable.LoadBench [-- --seconds 300 --uploaders 50 --readers 10 --think-ms 1000] [--smoke]
//
// The users' own limits (4 uploads at once, 600 requests a minute) are raised for the run, so that 50 uploaders from
// three accounts load the service as 50 users would; the limits themselves are tested elsewhere.
// --smoke: 10 seconds, 4 uploaders, 2 readers, small files; the test run uses it so that the suite cannot break unseen.

var smoke = args.Contains("--smoke");
var duration = TimeSpan.FromSeconds(smoke ? 10 : Option("--seconds", 300));
var uploaders = smoke ? 4 : Option("--uploaders", 50);
var readers = smoke ? 2 : Option("--readers", 10);
// A pause between one uploader's files, as a person's or a sync client's: without it the tiny files alone outrun any
// processor, and the run measures the backlog rather than the service.
var think = TimeSpan.FromMilliseconds(smoke ? 100 : Option("--think-ms", 1000));
var warmUp = duration / 5;
var data = Directory.CreateTempSubdirectory("desirable-load-").FullName;

Console.WriteLine($"Desirable load suite · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {duration.TotalSeconds:0} s, " +
    $"{uploaders} uploaders, {readers} readers through the gateway");

// Files: a weighted mix, mostly small, as photo libraries are; noise, so JPEG cannot shrink them.
var mix = smoke
    ? new[] { (Name: "1 KB", Bytes: Noise(24, 24), Weight: 5), (Name: "100 KB", Bytes: Noise(200, 180), Weight: 3) }
    : new[]
    {
        (Name: "1 KB", Bytes: Noise(24, 24), Weight: 40),
        (Name: "100 KB", Bytes: Noise(200, 180), Weight: 30),
        (Name: "1 MB", Bytes: Noise(640, 560), Weight: 20),
        (Name: "5 MB", Bytes: Noise(1500, 1250), Weight: 8),
        (Name: "20 MB", Bytes: Noise(3000, 2500), Weight: 2),
    };
foreach (var (name, bytes, _) in mix)
{
    Console.WriteLine($"  file {name}: {bytes.Length:N0} bytes");
}

var imagePath = ImagePathRate(mix.Select(m => m.Bytes).ToArray(), data);

var builder = await BenchmarkAppHost.CreateEmbeddedAsync<Projects.Desirable_AppHost>(data);
var projects = builder.Resources.OfType<ProjectResource>().ToDictionary(r => r.Name);
builder.CreateResourceBuilder(projects["gateway"]).WithEnvironment("RateLimits__PermitLimit", "1000000");
builder.CreateResourceBuilder(projects["media"])
    .WithEnvironment("Uploads__MaxConcurrentUploadsPerUser", "1000")
    .WithEnvironment("Uploads__MaxConcurrentUploads", "64");
await using var app = await builder.BuildAsync();
await app.StartAsync();
await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway");
await app.ResourceNotifications.WaitForResourceHealthyAsync("processor");

var gateway = app.GetEndpoint("gateway", "http");
using var issuer = app.CreateHttpClient("identity");
var users = new[] { "auth0|alice", "auth0|bob", "auth0|ada" };
var clients = new Dictionary<string, HttpClient>();
foreach (var user in users)
{
    var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(2) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
        await Desirable.Testing.ClientCredentials.TokenAsync(issuer, user, CancellationToken.None));
    clients[user] = client;
}

string[] watched = ["media", "processor", "gateway"];
var services = watched.ToDictionary(name => name, name => Desirable.Testing.AppProcesses.ServicePid(app, name));
var memory = services.ToDictionary(s => s.Key, _ => new ConcurrentQueue<(double Seconds, long Bytes)>());
var uploads = new ConcurrentBag<(double At, double Seconds, int Status)>();
var lists = new ConcurrentBag<(double At, double Seconds, int Status)>();
var contents = new ConcurrentBag<(double At, double Seconds, int Status)>();
var accepted = new ConcurrentBag<(string User, string Id)>();
var clock = Stopwatch.StartNew();
using var stop = new CancellationTokenSource(duration);

var sampler = Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        foreach (var (name, pid) in services)
        {
            memory[name].Enqueue((clock.Elapsed.TotalSeconds, Desirable.Testing.AppProcesses.ResidentBytes(pid)));
        }

        await Task.Delay(1000, CancellationToken.None);
    }
});

var work = Enumerable.Range(0, uploaders).Select(i => UploadLoopAsync(i)).Concat(Enumerable.Range(0, readers).Select(i => ReadLoopAsync(i)));
await Task.WhenAll(work);
await sampler;
var loadSeconds = clock.Elapsed.TotalSeconds;

Console.WriteLine();
Console.WriteLine("| requests | count | 2xx | 429/503 (refused, retried) | 5xx | p50 ms | p99 ms |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
Row("uploads", uploads);
Row("list pages", lists);
Row("content", contents);
Console.WriteLine();
// Every accepted item must end Ready or Failed (noise decodes: Ready).
Console.WriteLine($"Load over after {loadSeconds:0} s; waiting for the processor to finish {accepted.Count} accepted uploads…");
var deadline = DateTime.UtcNow.AddMinutes(smoke ? 2 : 30);
while (DateTime.UtcNow < deadline && await CountAsync("Uploaded") + await CountAsync("Processing") > 0)
{
    await Task.Delay(2000);
}

// Every item of the run, read back a page at a time: its final status and how long upload to final took. (Ada is an
// administrator and lists everyone's items, hence by id.)
var byId = new Dictionary<string, (string Status, double Seconds)>(StringComparer.Ordinal);
foreach (var user in users)
{
    string? cursor = null;
    do
    {
        var page = await clients[user].GetFromJsonAsync<JsonElement>($"/v3.0/media?limit=100{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            var status = item.GetProperty("status").GetString()!;
            byId[item.GetProperty("id").GetString()!] = (status, status is "Ready" or "Failed"
                ? (item.GetProperty("updatedAt").GetDateTimeOffset() - item.GetProperty("createdAt").GetDateTimeOffset()).TotalSeconds
                : double.NaN);
        }

        cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
    }
    while (cursor is not null);
}

var finals = byId.Values.ToList();
var processedSeconds = clock.Elapsed.TotalSeconds;
var ready = finals.Count(f => f.Status == "Ready");
var failed = finals.Count(f => f.Status == "Failed");
// Not final, or not in the catalog at all (lost): both count against "every accepted item processed".
var stuck = finals.Count(f => f.Status is not ("Ready" or "Failed")) + Math.Max(0, accepted.Count - finals.Count);
var latencies = finals.Where(f => !double.IsNaN(f.Seconds)).Select(f => f.Seconds).Order().ToList();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Accepted {accepted.Count} uploads ({accepted.Count / loadSeconds:F1}/s); processed {ready} Ready, {failed} Failed, {stuck} not finished; " +
    $"upload to final status p50 {Percentile(latencies, 0.5):F1} s, p99 {Percentile(latencies, 0.99):F1} s."));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Pipeline rate (upload to Ready, over the run and its drain): {ready / processedSeconds:F1} items/s; pure image path, same files, " +
    $"same machine: {imagePath.Single:F1} items/s on one worker, {imagePath.All:F1} on {Environment.ProcessorCount}."));
Console.WriteLine();
Console.WriteLine("| service | resident at start | peak | after warm-up: slope |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
foreach (var (name, samples) in memory)
{
    var list = samples.ToList();
    var settled = list.Where(s => s.Seconds >= warmUp.TotalSeconds).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Mib(list.First().Bytes)} | {Mib(list.Max(s => s.Bytes))} | {Slope(settled) * 60 / 1048576.0:+0.0;-0.0} MiB/min |"));
}

var serverErrors = uploads.Concat(lists).Concat(contents).Count(r => r.Status >= 500 && r.Status != 503);
Console.WriteLine();
Console.WriteLine(smoke
    ? "Smoke run: every path works; the figures of ten seconds are not judged."
    : $"Server errors: {serverErrors} (target 0: {(serverErrors == 0 ? "met" : "NOT met")}); unfinished items: {stuck} (target 0: {(stuck == 0 ? "met" : "NOT met")}).");

foreach (var client in clients.Values)
{
    client.Dispose();
}

await app.StopAsync();
Directory.Delete(data, recursive: true);
return serverErrors == 0 && stuck == 0 ? 0 : 1;

// Items of every user still in a status, counted by listing with the status filter.
async Task<int> CountAsync(string status)
{
    var total = 0;
    foreach (var user in users)
    {
        string? cursor = null;
        do
        {
            var page = await clients[user].GetFromJsonAsync<JsonElement>($"/v3.0/media?limit=100&status={status}{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
            total += page.GetProperty("items").GetArrayLength();
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
    }

    return total;
}

async Task UploadLoopAsync(int index)
{
    var random = new Random(index);
    var user = users[index % users.Length];
    var total = mix.Sum(m => m.Weight);
    while (!stop.IsCancellationRequested)
    {
        var pick = random.Next(total);
        var file = mix.First(m => (pick -= m.Weight) < 0);
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(file.Bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(part, "file", $"load-{file.Name.Replace(' ', '-')}.jpg");
        var started = clock.Elapsed.TotalSeconds;
        try
        {
            using var response = await clients[user].PostAsync("/v3.0/media", form, CancellationToken.None);
            uploads.Add((started, clock.Elapsed.TotalSeconds - started, (int)response.StatusCode));
            if (response.StatusCode == HttpStatusCode.Created)
            {
                accepted.Add((user, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!));
                await Task.Delay(think, CancellationToken.None);
            }
            else if (response.Headers.RetryAfter?.Delta is { } wait)
            {
                await Task.Delay(wait, CancellationToken.None);
            }
        }
        catch (HttpRequestException)
        {
            uploads.Add((started, clock.Elapsed.TotalSeconds - started, 599));
        }
    }
}

async Task ReadLoopAsync(int index)
{
    var user = users[index % users.Length];
    var random = new Random(1000 + index);
    while (!stop.IsCancellationRequested)
    {
        var started = clock.Elapsed.TotalSeconds;
        string? id = null;
        try
        {
            using (var page = await clients[user].GetAsync("/v3.0/media?limit=20", CancellationToken.None))
            {
                lists.Add((started, clock.Elapsed.TotalSeconds - started, (int)page.StatusCode));
                var items = (await page.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items");
                if (items.GetArrayLength() > 0)
                {
                    id = items[random.Next(items.GetArrayLength())].GetProperty("id").GetString();
                }
            }

            if (id is not null)
            {
                started = clock.Elapsed.TotalSeconds;
                using var content = await clients[user].GetAsync($"/v3.0/media/{id}/content", CancellationToken.None);
                await content.Content.CopyToAsync(Stream.Null);
                contents.Add((started, clock.Elapsed.TotalSeconds - started, (int)content.StatusCode));
            }
        }
        catch (HttpRequestException)
        {
            lists.Add((started, clock.Elapsed.TotalSeconds - started, 599));
        }

        await Task.Delay(100, CancellationToken.None);
    }
}

void Row(string name, IEnumerable<(double At, double Seconds, int Status)> requests)
{
    var all = requests.ToList();
    var ok = all.Where(r => r.Status is >= 200 and < 300).Select(r => r.Seconds * 1000).Order().ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {all.Count} | {ok.Count} | {all.Count(r => r.Status is 429 or 503)} | {all.Count(r => r.Status >= 500 && r.Status != 503)} | " +
        $"{Percentile(ok, 0.5):F0} | {Percentile(ok, 0.99):F0} |"));
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static double Percentile(IReadOnlyList<double> sorted, double p) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

// Least squares slope of bytes over seconds.
static double Slope(IReadOnlyList<(double Seconds, long Bytes)> samples)
{
    if (samples.Count < 2)
    {
        return 0;
    }

    var meanX = samples.Average(s => s.Seconds);
    var meanY = samples.Average(s => (double)s.Bytes);
    var covariance = samples.Sum(s => (s.Seconds - meanX) * (s.Bytes - meanY));
    var variance = samples.Sum(s => (s.Seconds - meanX) * (s.Seconds - meanX));
    return variance == 0 ? 0 : covariance / variance;
}

static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F0} MiB");

static byte[] Noise(int width, int height)
{
    using var bitmap = new SKBitmap(width, height);
    var random = new Random(width * height);
    var pixels = new byte[width * height * 4];
    random.NextBytes(pixels);
    System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
    using var image = SKImage.FromBitmap(bitmap);
    using var encoded = image.Encode(SKEncodedImageFormat.Jpeg, 95);
    return encoded.ToArray();
}

// The processor's image path alone (thumb and preview, as a job makes them), over the same mix of files.
static (double Single, double All) ImagePathRate(byte[][] files, string directory)
{
    var paths = files.Select((bytes, i) => { var path = Path.Combine(directory, $"image-{i}.jpg"); File.WriteAllBytes(path, bytes); return path; }).ToArray();
    var maker = new ImageVariantMaker(82);
    (string, int)[] targets = [("thumb", 320), ("preview", 1280)];
    foreach (var path in paths)
    {
        maker.Make(path, 100_000_000, targets, CancellationToken.None);
    }

    double Rate(int workers)
    {
        var work = Enumerable.Range(0, 4 * Math.Max(1, workers)).SelectMany(_ => paths).ToArray();
        var watch = Stopwatch.StartNew();
        Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = workers }, path => maker.Make(path, 100_000_000, targets, CancellationToken.None));
        return work.Length / watch.Elapsed.TotalSeconds;
    }

    return (Rate(1), Rate(Environment.ProcessorCount));
}
