using System.Diagnostics;

namespace Desirable.MediaProcessor.Tests;

/// <summary>
/// The processor as a process of its own (its build output, as DCP starts it), so that a test can kill it the way an
/// out-of-memory kill or a lost machine would: SIGKILL, no shutdown, jobs in flight.
/// </summary>
public sealed class ProcessorProcess : IDisposable
{
    private readonly Process _process;

    private ProcessorProcess(Process process) => _process = process;

    /// <summary>Starts the processor with <paramref name="settings"/> (configuration keys), on the test's AWS variables.</summary>
    public static ProcessorProcess Start(IReadOnlyDictionary<string, string> settings)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var assembly = Path.Combine(RepositoryPaths.Root, "src", "Desirable.MediaProcessor", "bin", configuration, "net10.0", "Desirable.MediaProcessor.dll");
        var start = new ProcessStartInfo("dotnet", [assembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        // Drained, so a chatty log never blocks the processor on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ProcessorProcess(process);
    }

    public bool HasExited => _process.HasExited;

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
