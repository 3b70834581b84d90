using System.Diagnostics;

namespace Desirable.Testing;

/// <summary>
/// A service as a process of its own (its build output, as DCP starts it), so that a test can kill it the way an
/// out-of-memory kill or a lost machine would: SIGKILL, no shutdown, work in flight.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private const int KeptLines = 2000;

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private ServiceProcess(Process process) => _process = process;

    /// <summary>The last lines the service wrote (standard output and error), for a failing test to show.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="project"/> (a folder under <c>src</c>, built in the tests' configuration) with
    /// <paramref name="settings"/> (configuration keys), on the test's AWS variables.
    /// </summary>
    public static ServiceProcess Start(string project, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var assembly = Path.Combine(RepositoryPaths.Root, "src", project, "bin", configuration, "net10.0", $"{project}.dll");
        var start = new ProcessStartInfo("dotnet", [assembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.Environment["ASPNETCORE_URLS"] = settings.GetValueOrDefault("ASPNETCORE_URLS", "http://127.0.0.1:0");
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        // Drained, so a chatty log never blocks the service on a full pipe; the tail is kept.
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => service.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => service.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Waits (bounded) until the service at <paramref name="baseAddress"/> answers <c>/alive</c>; fails with its last
    /// log lines if it does not.
    /// </summary>
    public async Task WaitUntilAliveAsync(Uri baseAddress, TimeSpan patience, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync("/alive", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException(
            $"The service did not start within {patience.TotalSeconds} s. Its last lines:{Environment.NewLine}" +
            string.Join(Environment.NewLine, RecentOutput.Split('\n').TakeLast(40)));
    }

    /// <summary>SIGKILL: the process ends where it is.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}
