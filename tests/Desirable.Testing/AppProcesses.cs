using System.Globalization;
using Aspire.Hosting;

namespace Desirable.Testing;

/// <summary>The processes behind an AppHost's resources, for the benchmarks that measure them (Linux, /proc).</summary>
public static class AppProcesses
{
    /// <summary>
    /// The process of a project resource. DCP reports the pid of the <c>dotnet run</c> that launched it; the service
    /// itself is that process's child.
    /// </summary>
    public static int ServicePid(DistributedApplication app, string resource)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.ResourceNotifications.TryGetCurrentState(resource, out var state) ||
            state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is not { } value)
        {
            throw new InvalidOperationException($"The process id of {resource} is not known.");
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
                    File.ReadAllText($"/proc/{pid}/cmdline").Contains("Desirable.", StringComparison.Ordinal))
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
}
