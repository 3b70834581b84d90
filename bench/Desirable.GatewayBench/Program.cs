using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Desirable.Gateway.Protection;
using Desirable.Testing;
using Yarp.ReverseProxy.Configuration;

// The cost of the gateway's protections (token validation, per-user rate limiting, security headers) on a small
// authenticated GET. Same backend, same wrk load, same run: the real gateway (Release) against its unprotected twin,
// which is the very same gateway build with its protections switched off (Gateway:Protections, honoured only in the
// Benchmark environment; same service defaults, routes, service discovery and YARP), and a bare YARP route for
// reference.
// Figures: requests per second, p50/p99 latency (wrk), and the proxy process's CPU time per request (/proc).
//
//   dotnet run -c Release --project bench/Desirable.GatewayBench [-- --seconds 10 --rounds 5 --connections 32] [--smoke]
//
// --smoke: one round of one second after a one-second warm-up, four connections; the test run uses it so that the
// benchmark cannot break unseen. Exit code 2: it cannot run here (no wrk), with the reason on stderr.
//
// TWIN_WITH=auth,limit,headers leaves those protections on in the twin, to see what each costs.
// Child modes (started by the benchmark itself): "backend <port>" and "bare-proxy <port> <backend url>".

if (args is ["backend", var backendPortArgument])
{
    return await RunBackendAsync(int.Parse(backendPortArgument, CultureInfo.InvariantCulture));
}

if (args is ["bare-proxy", var proxyPort, var backendAddress])
{
    return await RunBareProxyAsync(int.Parse(proxyPort, CultureInfo.InvariantCulture), backendAddress);
}

var smoke = args.Contains("--smoke");
var seconds = smoke ? 1 : Option("--seconds", 10);
var rounds = smoke ? 1 : Option("--rounds", 5);
var connections = smoke ? 4 : Option("--connections", 32);
var warmUpSeconds = smoke ? 1 : 15;
if (Which("wrk") is null)
{
    Console.Error.WriteLine("wrk is not installed (Debian: apt-get install wrk).");
    return 2;
}

var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
var root = FindRoot();
var gatewayAssembly = Assembly(root, "Desirable.Gateway", configuration);
var self = Path.Combine(AppContext.BaseDirectory, "Desirable.GatewayBench.dll");
var processes = new List<Process>();
try
{
    // The real local issuer, started by the test kit as the AppHost starts it.
    var issuer = await LocalIssuer.GetAsync();
    var issuerUrl = issuer.Authority;
    var backendPort = FreePort();
    processes.Add(Start(self, ["backend", backendPort.ToString(CultureInfo.InvariantCulture)], []));
    var backendUrl = $"http://127.0.0.1:{backendPort}";

    using var http = new HttpClient();
    await WaitHealthyAsync(http, $"{backendUrl}/v3.0/media");
    var token = await issuer.TokenAsync(LocalIssuer.Alice);

    Console.WriteLine($"Gateway protections benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {configuration}; " +
        $"wrk -t2 -c{connections} -d{seconds}s (closed loop), GET /v3.0/media with a bearer token, {rounds} rounds. " +
        $"Every round starts the three proxies afresh; each is warmed up for {warmUpSeconds} s right before it is measured; the paths " +
        "take turns, the twin and the gateway back to back, in reversed order every other round.");
    var runs = new[] { Paths.Bare, Paths.Twin, Paths.Gateway }.ToDictionary(path => path, _ => new List<Measurement>());
    for (var round = 1; round <= rounds; round++)
    {
        var targets = await StartProxiesAsync();
        try
        {
            // Reversed every other round, so neither the twin nor the gateway always runs on the other's heels.
            foreach (var (name, process, port) in round % 2 == 1 ? targets : targets.Reverse())
            {
                // Warmed up right before it is measured: the runtime recompiles hot methods (tiered PGO) only while
                // they run, so after a short warm-up and a pause the first seconds of load were spent in the JIT
                // (measured: 40-75% of a core for the first 4 s, most of what looked like the protections' cost; after 10 s of
                // warm-up still a little in the first 2 s, hence 15).
                await RunWrkAsync(port, token, warmUpSeconds, connections);
                var cpuBefore = CpuTime(process);
                var run = await RunWrkAsync(port, token, seconds, connections);
                var cpu = CpuTime(process) - cpuBefore;
                var measurement = run with { CpuMicrosecondsPerRequest = cpu.TotalMicroseconds / Math.Max(1, run.Requests) };
                runs[name].Add(measurement);
                Console.WriteLine($"  round {round} {name,-18} {measurement.RequestsPerSecond,9:N0} req/s  p50 {measurement.P50Ms,6:0.00} ms  p99 {measurement.P99Ms,6:0.00} ms  " +
                    $"proxy CPU {measurement.CpuMicrosecondsPerRequest,6:0.0} µs/req  ({measurement.Requests:N0} requests, {measurement.Non2xx} not 2xx)");
            }
        }
        finally
        {
            foreach (var target in targets)
            {
                Stop(target.Process);
            }
        }
    }

    var result = new RoundResults(runs);
    Console.WriteLine();
    Console.WriteLine("Median of the rounds:");
    Console.WriteLine($"  {"path",-18} {"req/s",9} {"p50 ms",7} {"p99 ms",7} {"CPU µs/req",11}");
    foreach (var (name, m) in result.Medians)
    {
        Console.WriteLine($"  {name,-18} {m.RequestsPerSecond,9:N0} {m.P50Ms,7:0.00} {m.P99Ms,7:0.00} {m.CpuMicrosecondsPerRequest,11:0.0}");
    }

    Console.WriteLine($"Protected/unprotected gateway CPU per request, per round (sorted): " +
        $"{string.Join(", ", result.PerRoundRatios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}; " +
        $"median {result.Ratio:0.00}x (target at most 1.25x: {(result.Ratio <= 1.25 ? "met" : "NOT met")}).");
    // A second view of the same runs: single rounds swing by ±20%, so the two should agree before a verdict is trusted.
    Console.WriteLine($"Protected/unprotected gateway, ratio of the paths' median CPU per request: " +
        $"{result.RatioOfMedians:0.00}x.");
    Console.WriteLine($"Protected gateway/bare YARP CPU per request (medians): " +
        $"{result.Medians[Paths.Gateway].CpuMicrosecondsPerRequest / result.Medians[Paths.Bare].CpuMicrosecondsPerRequest:0.00}x " +
        "(the rest is service defaults: telemetry, service discovery, health checks).");
    Check(runs.Values.SelectMany(r => r).All(m => m.Non2xx == 0), "some requests were not 2xx: the comparison would be unfair");
    return 0;

    // Fresh processes every round: a process's JIT and PGO outcome moved its CPU per request by 10% between runs of
    // the same code, more than the rounds within one run differed.
    async Task<Target[]> StartProxiesAsync()
    {
        var gatewayPort = FreePort();
        var gatewayEnvironment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{gatewayPort}",
            ["services__media__http__0"] = backendUrl,
            ["services__web__http__0"] = backendUrl,
            ["Identity__Authority"] = issuerUrl,
            ["Identity__Audience"] = LocalIssuer.Audience,
            // The limiter runs on every request but never refuses one here: its cost is measured, not its effect.
            ["RateLimits__PermitLimit"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        // The twin: the same gateway, its protections off but for those TWIN_WITH names.
        var twinWith = (Environment.GetEnvironmentVariable("TWIN_WITH") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var twinPort = FreePort();
        var twinEnvironment = new Dictionary<string, string>(gatewayEnvironment)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{twinPort}",
            ["ASPNETCORE_ENVIRONMENT"] = GatewayProtections.BenchmarkEnvironment,
            ["Gateway__Protections__Authentication"] = $"{twinWith.Contains("auth")}",
            ["Gateway__Protections__RateLimiting"] = $"{twinWith.Contains("limit")}",
            ["Gateway__Protections__SecurityHeaders"] = $"{twinWith.Contains("headers")}",
            ["Gateway__Protections__Cors"] = "False",
        };
        var barePort = FreePort();
        Target[] targets =
        [
            new(Paths.Bare, Start(self, ["bare-proxy", barePort.ToString(CultureInfo.InvariantCulture), backendUrl], []), barePort),
            new(Paths.Twin, Start(gatewayAssembly, [], twinEnvironment), twinPort),
            new(Paths.Gateway, Start(gatewayAssembly, [], gatewayEnvironment), gatewayPort),
        ];
        processes.AddRange(targets.Select(t => t.Process));
        foreach (var target in targets)
        {
            await WaitHealthyAsync(http, $"http://127.0.0.1:{target.Port}/v3.0/media", token);
        }

        // Sanity: the protected path really validates (no token -> 401); all of them reach the backend (checked above).
        using var anonymous = await http.GetAsync($"http://127.0.0.1:{gatewayPort}/v3.0/media");
        Check(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"the gateway answered {anonymous.StatusCode} without a token");
        return targets;
    }
}
finally
{
    foreach (var process in processes)
    {
        Stop(process);
    }
}

static async Task<Measurement> RunWrkAsync(int port, string token, int seconds, int connections)
{
    var wrk = Process.Start(new ProcessStartInfo("wrk",
        ["-t2", $"-c{connections}", $"-d{seconds}s", "--latency", "-H", $"Authorization: Bearer {token}", $"http://127.0.0.1:{port}/v3.0/media"])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    })!;
    var output = await wrk.StandardOutput.ReadToEndAsync();
    await wrk.WaitForExitAsync();

    Check(wrk.ExitCode == 0, $"wrk failed: {output}{await wrk.StandardError.ReadToEndAsync()}");
    var requests = long.Parse(Regex.Match(output, @"(\d+) requests in").Groups[1].Value, CultureInfo.InvariantCulture);
    var rps = double.Parse(Regex.Match(output, @"Requests/sec:\s+([\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
    var non2xx = Regex.Match(output, @"Non-2xx or 3xx responses: (\d+)") is { Success: true } bad ? long.Parse(bad.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    return new Measurement(requests, rps, LatencyMs(output, "50%"), LatencyMs(output, "99%"), non2xx, 0);
}

static double LatencyMs(string wrkOutput, string percentile)
{
    var match = Regex.Match(wrkOutput, $@"\s{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)");
    var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
}

/// <summary>User plus system CPU time of a process, from /proc (clock ticks of 1/100 s on Linux).</summary>
static TimeSpan CpuTime(Process process)
{
    var stat = File.ReadAllText($"/proc/{process.Id}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    return TimeSpan.FromSeconds(ticks / 100.0);
}

static async Task WaitHealthyAsync(HttpClient http, string url, string? token = null)
{
    var deadline = DateTime.UtcNow.AddSeconds(60);
    while (true)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (token is not null)
            {
                request.Headers.Authorization = new("Bearer", token);
            }

            using var response = await http.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
        }

        Check(DateTime.UtcNow < deadline, $"{url} did not answer within 60 s");
        await Task.Delay(200);
    }
}

static void Stop(Process process)
{
    if (!process.HasExited)
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }
}

static Process Start(string assembly, string[] arguments, Dictionary<string, string> environment)
{
    var start = new ProcessStartInfo("dotnet", [assembly, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var (key, value) in environment)
    {
        start.Environment[key] = value;
    }

    start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
    var process = Process.Start(start)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, line) =>
    {
        if (line.Data is not null)
        {
            Console.Error.WriteLine($"[{Path.GetFileNameWithoutExtension(assembly)}] {line.Data}");
        }
    };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static string Assembly(string root, string project, string configuration)
{
    var path = Path.Combine(root, "src", project, "bin", configuration, "net10.0", $"{project}.dll");
    Check(File.Exists(path), $"{path} is not built");
    return path;
}

static string FindRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Desirable.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Desirable.sln not found above the benchmark.");
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string? Which(string command) =>
    (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, command)).FirstOrDefault(File.Exists);

static void Check(bool condition, string problem)
{
    if (!condition)
    {
        throw new InvalidOperationException(problem);
    }
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static async Task<int> RunBackendAsync(int port)
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
    var app = builder.Build();
    // A small JSON page, like an empty media list.
    app.MapGet("/v3.0/media", () => Results.Text("""{"items":[],"nextCursor":null}""", "application/json"));
    await app.RunAsync();
    return 0;
}

static async Task<int> RunBareProxyAsync(int port, string backendUrl)
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
    builder.Services.AddReverseProxy().LoadFromMemory(
        [new RouteConfig { RouteId = "media-api", ClusterId = "media", Match = new RouteMatch { Path = "/v3.0/{**rest}" } }],
        [new ClusterConfig { ClusterId = "media", Destinations = new Dictionary<string, DestinationConfig> { ["media"] = new() { Address = backendUrl } } }]);
    var app = builder.Build();
    app.MapReverseProxy();
    await app.RunAsync();
    return 0;
}

internal sealed record Target(string Name, Process Process, int Port);

/// <summary>The three paths, as the figures name them.</summary>
internal static class Paths
{
    public const string Bare = "bare YARP";
    public const string Twin = "unprotected twin";
    public const string Gateway = "protected gateway";
}

/// <summary>The runs per path; medians and the protected/twin ratio per round (paired: the two ran back to back).</summary>
internal sealed record RoundResults(Dictionary<string, List<Measurement>> Runs)
{
    public Dictionary<string, Measurement> Medians { get; } = Runs.ToDictionary(r => r.Key, r => MedianOf(r.Value));

    public double[] PerRoundRatios { get; } = [.. Runs[Paths.Gateway]
        .Zip(Runs[Paths.Twin], (p, t) => p.CpuMicrosecondsPerRequest / t.CpuMicrosecondsPerRequest).Order()];

    public double Ratio => PerRoundRatios[PerRoundRatios.Length / 2];

    public double RatioOfMedians => Medians[Paths.Gateway].CpuMicrosecondsPerRequest / Medians[Paths.Twin].CpuMicrosecondsPerRequest;

    private static Measurement MedianOf(List<Measurement> runs)
    {
        static double Mid(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted[sorted.Length / 2];
        }

        return new Measurement(
            (long)Mid(runs.Select(r => (double)r.Requests)), Mid(runs.Select(r => r.RequestsPerSecond)),
            Mid(runs.Select(r => r.P50Ms)), Mid(runs.Select(r => r.P99Ms)), 0, Mid(runs.Select(r => r.CpuMicrosecondsPerRequest)));
    }
}

internal sealed record Measurement(long Requests, double RequestsPerSecond, double P50Ms, double P99Ms, long Non2xx, double CpuMicrosecondsPerRequest);
