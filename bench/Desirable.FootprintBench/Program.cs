using System.Diagnostics;
using System.Globalization;
using Desirable.Contracts;

// What the whole local app costs while nobody uses it: the AppHost started as a developer starts it (dotnet run,
// embedded mode, a fresh data folder), left to settle, then every process it started measured over a window:
// proportional set size (PSS, shared pages split between their users, so the total is what the app really holds)
// and CPU time. Beside it, in the same run, the same figures of an empty ASP.NET Core app: the floor one more
// service costs. Linux only (/proc).
//
//   dotnet run -c Release --project bench/Desirable.FootprintBench [-- --settle 30 --seconds 30] [--smoke]
//
// --smoke: settled 5 s, measured over 3 s, the AppHost as already built (no build); the test run uses it so that the
// benchmark cannot break unseen. Exit code 2: it cannot run here (not Linux, or port 5080 taken), with the reason.
//
// Targets (issue 13): the app idle under 1 GB PSS in total and under 5% of one core.

if (args is ["idle-web"])
{
    // The reference: an empty web app with a health endpoint, nothing else.
    var reference = WebApplication.CreateBuilder();
    reference.Logging.ClearProviders();
    var web = reference.Build();
    web.MapGet(HealthPaths.Health, () => "Healthy");
    await web.RunAsync("http://127.0.0.1:0");
    return 0;
}

if (!OperatingSystem.IsLinux())
{
    Console.Error.WriteLine("The footprint benchmark reads /proc; it runs on Linux only.");
    return 2;
}

var smoke = args.Contains("--smoke");
var settle = TimeSpan.FromSeconds(smoke ? 5 : Option("--settle", 30));
var window = TimeSpan.FromSeconds(smoke ? 3 : Option("--seconds", 30));
var root = FindRoot();
var data = Directory.CreateTempSubdirectory("desirable-footprint-").FullName;
var gatewayHealth = new Uri($"http://localhost:5080{HealthPaths.Health}");
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

if (await AnswersAsync(http, gatewayHealth))
{
    Console.Error.WriteLine("Something already answers on the gateway's port 5080: stop the running AppHost first.");
    return 2;
}

Console.WriteLine($"Footprint of the local app, idle: {Environment.ProcessorCount} cores, .NET {Environment.Version}; " +
    $"embedded mode, settled {settle.TotalSeconds:0} s after the gateway is healthy, measured over {window.TotalSeconds:0} s.");

var appHost = Start("dotnet", ["run", .. smoke ? ["--no-build"] : Array.Empty<string>(), "--project", Path.Combine(root, "src", "Desirable.AppHost"), "--",
    "--Desirable:Mode=embedded", $"--Desirable:DataDirectory={data}"], root);
var idleWeb = Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "Desirable.FootprintBench.dll"), "idle-web"], root);
try
{
    var started = Stopwatch.StartNew();
    while (!await AnswersAsync(http, gatewayHealth))
    {
        if (appHost.HasExited || started.Elapsed > TimeSpan.FromMinutes(5))
        {
            Console.Error.WriteLine($"The app did not become healthy (AppHost {(appHost.HasExited ? $"exited with {appHost.ExitCode}" : "still starting after 5 min")}).");
            return 1;
        }

        await Task.Delay(1000);
    }

    Console.WriteLine($"Gateway healthy after {started.Elapsed.TotalSeconds:0} s; settling.");
    await Task.Delay(settle);

    var before = Snapshot(appHost.Id).Append(Sample.Of(idleWeb.Id)).OfType<Sample>().ToDictionary(s => s.Pid);
    var clock = Stopwatch.StartNew();
    await Task.Delay(window);
    var seconds = clock.Elapsed.TotalSeconds;
    var after = Snapshot(appHost.Id).OfType<Sample>().ToList();
    var reference = Sample.Of(idleWeb.Id);

    double CpuPercent(Sample now) =>
        before.TryGetValue(now.Pid, out var then) ? 100 * (now.CpuSeconds - then.CpuSeconds) / seconds : double.NaN;

    Console.WriteLine();
    Console.WriteLine($"  {"process",-44} {"PSS MB",8} {"RSS MB",8} {"CPU %",7}");
    foreach (var sample in after.OrderByDescending(s => s.PssKb))
    {
        Console.WriteLine($"  {sample.Name,-44} {sample.PssKb / 1024.0,8:0.0} {sample.RssKb / 1024.0,8:0.0} {CpuPercent(sample),7:0.00}");
    }

    var pss = after.Sum(s => s.PssKb) / 1024.0;
    var cpu = after.Where(s => before.ContainsKey(s.Pid)).Sum(CpuPercent);
    Console.WriteLine($"  {$"total, {after.Count} processes",-44} {pss,8:0.0} {after.Sum(s => s.RssKb) / 1024.0,8:0.0} {cpu,7:0.00}");
    if (reference is not null)
    {
        Console.WriteLine($"  {"reference: an empty ASP.NET Core app",-44} {reference.PssKb / 1024.0,8:0.0} {reference.RssKb / 1024.0,8:0.0} {CpuPercent(reference),7:0.00}");
    }

    Console.WriteLine();
    Console.WriteLine($"Idle PSS {pss:0} MB (target under 1024 MB: {(pss < 1024 ? "met" : "NOT met")}); " +
        $"idle CPU {cpu:0.0}% of one core (target under 5%: {(cpu < 5 ? "met" : "NOT met")}).");
    return 0;
}
finally
{
    Stop(idleWeb);
    Stop(appHost);
    Directory.Delete(data, recursive: true);
}

static async Task<bool> AnswersAsync(HttpClient http, Uri url)
{
    try
    {
        using var response = await http.GetAsync(url);
        return response.IsSuccessStatusCode;
    }
    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
    {
        return false;
    }
}

// Every live process the AppHost started, its own `dotnet run` included. DCP, the orchestrator, detaches from the
// AppHost (a session of its own, watching the AppHost's pid through --monitor), so its tree is found by that flag.
static IEnumerable<Sample?> Snapshot(int rootPid)
{
    var children = new Dictionary<int, List<int>>();
    var monitors = new Dictionary<int, int>();
    foreach (var directory in Directory.EnumerateDirectories("/proc"))
    {
        if (!int.TryParse(Path.GetFileName(directory), out var pid) || Sample.ParentOf(pid) is not { } parent)
        {
            continue;
        }

        (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
        if (Sample.MonitoredBy(pid) is { } monitored)
        {
            monitors[pid] = monitored;
        }
    }

    var seen = new HashSet<int>();
    var pending = new Stack<int>([rootPid]);
    while (pending.TryPop(out var pid))
    {
        if (!seen.Add(pid))
        {
            continue;
        }

        yield return Sample.Of(pid);
        foreach (var child in children.GetValueOrDefault(pid) ?? [])
        {
            pending.Push(child);
        }

        foreach (var (watcher, watched) in monitors)
        {
            if (watched == pid)
            {
                pending.Push(watcher);
            }
        }
    }
}

static Process Start(string command, string[] arguments, string workingDirectory)
{
    var start = new ProcessStartInfo(command, arguments)
    {
        WorkingDirectory = workingDirectory,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    var process = Process.Start(start)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static void Stop(Process process)
{
    if (!process.HasExited)
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }
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

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>One process at one moment: its memory and the CPU time it has used so far.</summary>
internal sealed record Sample(int Pid, string Name, long PssKb, long RssKb, double CpuSeconds)
{
    // Linux's USER_HZ, what /proc/<pid>/stat counts CPU time in.
    private const double TicksPerSecond = 100;

    public static Sample? Of(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cpu = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
            var rollup = File.ReadAllLines($"/proc/{pid}/smaps_rollup");
            return new Sample(pid, NameOf(pid), Kb(rollup, "Pss:"), Kb(rollup, "Rss:"), cpu);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // Gone in between, or not ours to read.
        }
    }

    public static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The pid a process watches with <c>--monitor</c> (DCP's API server watches the AppHost's).</summary>
    public static int? MonitoredBy(int pid)
    {
        try
        {
            var parts = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            var index = Array.IndexOf(parts, "--monitor");
            return index >= 0 && index + 1 < parts.Length && int.TryParse(parts[index + 1], CultureInfo.InvariantCulture, out var watched) ? watched : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long Kb(string[] rollup, string key) =>
        rollup.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal)) is { } line
            ? long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)
            : 0;

    // What a developer would call it: the project a `dotnet run` wraps, the service's own name, or the program.
    private static string NameOf(int pid)
    {
        var parts = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return $"[{pid}]";
        }

        var program = Path.GetFileName(parts[0]);
        var project = Array.IndexOf(parts, "--project") is var p and >= 0 && p + 1 < parts.Length ? Path.GetFileNameWithoutExtension(parts[p + 1].TrimEnd('/')) : null;
        if (program == "dotnet" && parts.Length > 1 && parts[1] == "run")
        {
            return $"dotnet run ({project ?? "?"})";
        }

        if (program == "dotnet" && parts.Length > 1 && parts[1].EndsWith(".dll", StringComparison.Ordinal))
        {
            return $"dotnet {Path.GetFileName(parts[1])}";
        }

        return program == "node" || program.EndsWith("node", StringComparison.Ordinal)
            ? $"node {string.Join(' ', parts.Skip(1).Where(a => !a.StartsWith('-')).Take(1))}"
            : $"{program} {string.Join(' ', parts.Skip(1).Take(1))}".Trim();
    }
}
