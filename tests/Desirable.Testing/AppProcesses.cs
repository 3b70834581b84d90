using System.Globalization;
using Aspire.Hosting;

namespace Desirable.Testing;

/// <summary>The processes behind an AppHost's resources, for the benchmarks that measure them (Linux, /proc).</summary>
public static class AppProcesses
{
    /// <summary>
    /// The process of a project resource: the service's own program, which the AppHost starts directly
    /// (src/Desirable.Hosting/ServicePrograms.cs), so the pid DCP reports is the service's.
    /// </summary>
    public static int ServicePid(DistributedApplication app, string resource)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.ResourceNotifications.TryGetCurrentState(resource, out var state) ||
            state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is not { } value)
        {
            throw new InvalidOperationException($"The process id of {resource} is not known.");
        }

        return Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    /// <summary>A process's resident set (VmRSS) in bytes; 0 once it has exited.</summary>
    public static long ResidentBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            return 0;
        }
    }

    /// <summary>Every process id in /proc now.</summary>
    public static IEnumerable<int> All() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    /// <summary>Whether the process still runs: a killed process its parent has not reaped yet is a zombie, and has ended.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
