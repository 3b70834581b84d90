using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Upload throughput through the gateway and straight to the media service, and the media service's peak working
// set per file size. Boots the whole AppHost in embedded mode (data in a temporary folder), like the end-to-end tests.
// Usage: dotnet run -c Release --project bench/Desirable.UploadBench [-- --runs N]

var runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(int.Parse).FirstOrDefault(5);
var sizesMiB = new[] { 1, 10, 100 };
var data = Directory.CreateTempSubdirectory("desirable-bench-").FullName;

Console.WriteLine($"Desirable upload benchmark · {Environment.ProcessorCount} cores · {RuntimeInfo()} · {runs} runs per size and path (median)");
Console.WriteLine("Starting the AppHost in embedded mode…");

var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Desirable_AppHost>(
    ["--Desirable:Mode=embedded", $"--Desirable:DataDirectory={data}"],
    (options, _) => options.DisableDashboard = true);
builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Desirable.AppHost.Resources", LogLevel.None));
await using var app = await builder.BuildAsync();
await app.StartAsync();
await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway");

var mediaPid = MediaServicePid(app);
var paths = new (string Name, Uri BaseAddress)[]
{
    ("direct", app.GetEndpoint("media", "http")),
    ("gateway", app.GetEndpoint("gateway", "http")),
};

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
        await UploadAsync(http, baseAddress, files[size]);
    }
}

var warmWorkingSet = WorkingSetSampler.Read(mediaPid);

var results = new List<(int SizeMiB, string Path, double MiBps)>();
var peakBySize = new Dictionary<int, long>();
using var sampler = new WorkingSetSampler(mediaPid);
foreach (var size in sizesMiB)
{
    sampler.Reset();
    foreach (var (name, baseAddress) in paths)
    {
        var seconds = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            await UploadAsync(http, baseAddress, files[size]);
            seconds.Add(watch.Elapsed.TotalSeconds);
        }

        seconds.Sort();
        results.Add((size, name, size / seconds[seconds.Count / 2]));
    }

    peakBySize[size] = sampler.Peak;
}

Console.WriteLine();
Console.WriteLine("| size    | direct MiB/s | gateway MiB/s | gateway/direct | media peak working set |");
Console.WriteLine("|---------|-------------:|--------------:|---------------:|-----------------------:|");
foreach (var size in sizesMiB)
{
    var direct = results.Single(r => r.SizeMiB == size && r.Path == "direct").MiBps;
    var gateway = results.Single(r => r.SizeMiB == size && r.Path == "gateway").MiBps;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {size,3} MiB | {direct,12:F1} | {gateway,13:F1} | {gateway / direct,14:P0} | {peakBySize[size] / 1048576.0,18:F1} MiB |"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Media service working set: {idleWorkingSet / 1048576.0:F1} MiB before any upload, {warmWorkingSet / 1048576.0:F1} MiB after the warm-up"));
var growth = (peakBySize[100] - peakBySize[1]) / 1048576.0;
var ratio100 = results.Single(r => r.SizeMiB == 100 && r.Path == "gateway").MiBps / results.Single(r => r.SizeMiB == 100 && r.Path == "direct").MiBps;
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Peak working set growth 1 MiB -> 100 MiB: {growth:F1} MiB (target < 32 MiB: {(growth < 32 ? "met" : "NOT met")})"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Gateway throughput at 100 MiB: {ratio100:P0} of direct (target >= 80%: {(ratio100 >= 0.8 ? "met" : "NOT met")})"));

sampler.Dispose();
await app.StopAsync();
Directory.Delete(data, recursive: true);

static async Task UploadAsync(HttpClient http, Uri baseAddress, string path)
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

    // Delete right away so the emulator's disk use stays flat across runs.
    var self = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("links").GetProperty("self").GetString();
    using var delete = await http.DeleteAsync(new Uri(baseAddress, self));
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

// DCP reports the process id of each resource in its snapshot. For a project that is the `dotnet run` which
// launched it, so the service itself is that process's child.
static int MediaServicePid(DistributedApplication app)
{
    if (!app.ResourceNotifications.TryGetCurrentState("media", out var state) ||
        state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is not { } value)
    {
        throw new InvalidOperationException("The media service's process id is not known.");
    }

    var launcher = Convert.ToInt32(value, CultureInfo.InvariantCulture);
    foreach (var stat in Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "stat")).Where(File.Exists))
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after the last ')'.
            var text = File.ReadAllText(stat);
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            var pid = int.Parse(text[..text.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            if (int.Parse(fields[1], CultureInfo.InvariantCulture) == launcher &&
                File.ReadAllText($"/proc/{pid}/cmdline").Contains("Desirable.MediaService", StringComparison.Ordinal))
            {
                return pid;
            }
        }
        catch (IOException)
        {
            // A process that ended while we looked.
        }
    }

    return launcher;
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
