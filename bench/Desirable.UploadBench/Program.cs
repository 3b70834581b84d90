using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Desirable.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Upload throughput through the gateway, straight to the media service, and straight to the emulator with the AWS
// SDK (the ceiling: what storing the bytes costs with no service at all), and the media service's peak working set
// per file size. Boots the whole AppHost in embedded mode (data in a temporary folder), like the end-to-end tests.
// Usage: dotnet run -c Release --project bench/Desirable.UploadBench [-- --runs N] [--sizes 1,10,100] [--smoke]
// --smoke: one 1 MiB upload per path, no targets; the test run uses it so that the benchmark cannot break unseen.

var smoke = args.Contains("--smoke");
var runs = smoke ? 1 : args.SkipWhile(a => a != "--runs").Skip(1).Select(int.Parse).FirstOrDefault(9);
var sizesMiB = smoke ? [1] : args.SkipWhile(a => a != "--sizes").Skip(1).Select(s => s.Split(',').Select(int.Parse).ToArray()).FirstOrDefault([1, 10, 100]);
var data = Directory.CreateTempSubdirectory("desirable-bench-").FullName;

Console.WriteLine($"Desirable upload benchmark · {Environment.ProcessorCount} cores · {RuntimeInfo()} · {runs} runs per size and path (median)");
Console.WriteLine("Starting the AppHost in embedded mode…");

// The upload path alone, without the processor: with it, every measured upload would share the two cores and the
// single-threaded emulator with the download and decode of the upload before it, which the SDK's uploads do not. The
// jobs wait in the queue. The load suite measures uploads and processing together.
var builder = (await BenchmarkAppHost.CreateEmbeddedAsync<Projects.Desirable_AppHost>(data)).WithoutProcessor();
await using var app = await builder.BuildAsync();
await app.StartAsync();
await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway");

var mediaPid = Desirable.Testing.AppProcesses.ServicePid(app, "media");
var paths = new (string Name, Uri BaseAddress)[]
{
    ("direct", app.GetEndpoint("media", "http")),
    ("gateway", app.GetEndpoint("gateway", "http")),
};

// The ceiling: the same bytes into the same bucket of the same emulator, by the AWS SDK's transfer utility (one
// PutObject below 16 MiB, parallel multipart above), as a client with credentials for the bucket would.
using var s3 = Desirable.Testing.EmulatorClients.S3(app.GetEndpoint("aws", "http"));
var bucket = BucketName(app);

// The API needs a signed-in caller with write and delete permissions (Alice, a seeded creator at the local issuer).
using var issuer = app.CreateHttpClient("identity");
using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
    "Bearer", await Desirable.Testing.ClientCredentials.TokenAsync(issuer, "auth0|alice", CancellationToken.None));
var files = sizesMiB.ToDictionary(size => size, size => MakeFile(data, size));

var idleWorkingSet = WorkingSetSampler.Read(mediaPid);

// Warm up every size on every path first: the first large upload JITs the multipart code paths and grows
// Kestrel's and the GC's pools once. What is measured afterwards is what an upload of each size costs.
foreach (var (_, baseAddress) in paths)
{
    foreach (var size in sizesMiB)
    {
        await DeleteAsync(http, baseAddress, await UploadAsync(http, baseAddress, files[size]));
    }
}

foreach (var size in sizesMiB)
{
    await s3.DeleteObjectAsync(bucket, await UploadWithSdkAsync(s3, bucket, files[size]));
}

var warmWorkingSet = WorkingSetSampler.Read(mediaPid);

var results = new List<(int SizeMiB, string Path, double MiBps)>();
var peakBySize = new Dictionary<int, long>();
using var sampler = new WorkingSetSampler(mediaPid);
foreach (var size in sizesMiB)
{
    sampler.Reset();

    // Round by round, each path in turn: the emulator and the two cores drift over seconds, and a slow stretch then
    // costs every path alike instead of whichever happened to run during it.
    var seconds = new Dictionary<string, List<double>> { ["direct"] = [], ["gateway"] = [], ["sdk"] = [] };
    for (var run = 0; run < runs; run++)
    {
        foreach (var (name, baseAddress) in paths)
        {
            var watch = Stopwatch.StartNew();
            var self = await UploadAsync(http, baseAddress, files[size]);
            seconds[name].Add(watch.Elapsed.TotalSeconds);
            await DeleteAsync(http, baseAddress, self);
        }

        var sdkWatch = Stopwatch.StartNew();
        var key = await UploadWithSdkAsync(s3, bucket, files[size]);
        seconds["sdk"].Add(sdkWatch.Elapsed.TotalSeconds);
        await s3.DeleteObjectAsync(bucket, key);
    }

    peakBySize[size] = sampler.Peak;
    foreach (var (name, times) in seconds)
    {
        times.Sort();
        results.Add((size, name, size / times[times.Count / 2]));
    }
}

Console.WriteLine();
Console.WriteLine("| size    | SDK to S3 MiB/s | direct MiB/s | gateway MiB/s | gateway/direct | direct/SDK | media peak working set |");
Console.WriteLine("|---------|----------------:|-------------:|--------------:|---------------:|-----------:|-----------------------:|");
foreach (var size in sizesMiB)
{
    var sdk = Rate(size, "sdk");
    var direct = Rate(size, "direct");
    var gateway = Rate(size, "gateway");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {size,3} MiB | {sdk,15:F1} | {direct,12:F1} | {gateway,13:F1} | {gateway / direct,14:P0} | {direct / sdk,10:P0} | {peakBySize[size] / 1048576.0,18:F1} MiB |"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Media service working set: {idleWorkingSet / 1048576.0:F1} MiB before any upload, {warmWorkingSet / 1048576.0:F1} MiB after the warm-up"));
Console.WriteLine();
if (smoke)
{
    Console.WriteLine("Smoke run: every path works; no targets are judged on one small upload.");
}
else
{
    var (smallest, largest) = (sizesMiB.Min(), sizesMiB.Max());
    var growth = (peakBySize[largest] - peakBySize[smallest]) / 1048576.0;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Peak working set growth {smallest} MiB -> {largest} MiB: {growth:F1} MiB (target < 32 MiB: {(growth < 32 ? "met" : "NOT met")})"));
    var gatewayWorst = sizesMiB.Min(size => Rate(size, "gateway") / Rate(size, "direct"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Gateway throughput, worst size: {gatewayWorst:P0} of direct (target >= 90% at every size: {(gatewayWorst >= 0.9 ? "met" : "NOT met")})"));
    var appWorst = sizesMiB.Min(size => Rate(size, "gateway") / Rate(size, "sdk"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"The app (through the gateway), worst size: {appWorst:P0} of the raw SDK upload (target >= 80%: {(appWorst >= 0.8 ? "met" : "NOT met")})"));
}

sampler.Dispose();
await app.StopAsync();
Directory.Delete(data, recursive: true);

double Rate(int size, string path) => results.Single(r => r.SizeMiB == size && r.Path == path).MiBps;

// Each upload is timed alone; what is uploaded is deleted after the clock stops, so the emulator's disk use stays flat.
static async Task<string> UploadWithSdkAsync(Amazon.S3.IAmazonS3 s3, string bucket, string path)
{
    var key = $"bench/{Guid.NewGuid():N}";
    using var transfer = new Amazon.S3.Transfer.TransferUtility(s3);
    await transfer.UploadAsync(new Amazon.S3.Transfer.TransferUtilityUploadRequest
    {
        BucketName = bucket,
        Key = key,
        FilePath = path,
        ContentType = "image/jpeg",
    });
    return key;
}

// The Media stack's bucket, as the stack resource shows it once provisioned.
static string BucketName(DistributedApplication app) =>
    app.ResourceNotifications.TryGetCurrentState("aws-media", out var state) &&
    state.Snapshot.Properties.FirstOrDefault(p => p.Name == "desirable.output.MediaBucketName")?.Value is string name
        ? name
        : throw new InvalidOperationException("The Media stack's bucket is not known.");

/// <summary>Uploads through the API; returns the new item's link for the delete.</summary>
static async Task<string> UploadAsync(HttpClient http, Uri baseAddress, string path)
{
    await using var file = File.OpenRead(path);
    using var form = new MultipartFormDataContent();
    var part = new StreamContent(file, 81920);
    part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
    form.Add(part, "file", Path.GetFileName(path));
    using var response = await http.PostAsync(new Uri(baseAddress, "/v3.0/media"), form);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"Upload failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("links").GetProperty("self").GetString()!;
}

static async Task DeleteAsync(HttpClient http, Uri baseAddress, string self)
{
    using var delete = await http.DeleteAsync(new Uri(baseAddress, self));
    delete.EnsureSuccessStatusCode();
}

static string MakeFile(string directory, int sizeMiB)
{
    var path = Path.Combine(directory, $"upload-{sizeMiB}mib.jpg");
    var bytes = new byte[sizeMiB * 1024 * 1024];
    new Random(sizeMiB).NextBytes(bytes);
    bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF; bytes[3] = 0xE0;
    File.WriteAllBytes(path, bytes);
    return path;
}

static string RuntimeInfo() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

/// <summary>
/// Samples a process's resident set (VmRSS) every few milliseconds and keeps the largest value since the last
/// reset. Sampling, rather than the kernel's VmHWM, because resetting VmHWM (clear_refs) is not honoured in every
/// sandbox this runs in.
/// </summary>
internal sealed class WorkingSetSampler : IDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;

    public WorkingSetSampler(int pid)
    {
        _pid = pid;
        _loop = Task.Run(SampleAsync);
    }

    public long Peak => Interlocked.Read(ref _peak);

    public void Reset() => Interlocked.Exchange(ref _peak, Current());

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            long current;
            try
            {
                current = Current();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                return; // The process has exited.
            }

            long seen;
            while (current > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, current, seen) != seen)
            {
            }

            await Task.Delay(5);
        }
    }

    private long Current() => Read(_pid);

    public static long Read(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _loop.Wait();
        _stop.Dispose();
    }
}
