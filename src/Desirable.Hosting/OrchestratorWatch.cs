using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Desirable.Hosting;

/// <summary>
/// Ends the processes DCP started if DCP itself dies abruptly, in place of DCP's own safeguard. DCP (Aspire's
/// orchestrator) keeps one <c>dcp monitor-process</c> beside every process it runs, only to end that process should
/// DCP be killed: seven of them held 165 MB of the idle app's 1.1 GB (bench/Desirable.FootprintBench). The local run
/// switches them off (<see cref="DisableMonitorsVariable"/>) and this one watch in the AppHost does the same for all:
/// DCP's controller leads the process group of everything it starts, so when the controller is gone while the AppHost
/// still runs, the group's processes are ended and the AppHost stops with the reason. Every orderly stop (Ctrl+C, the
/// terminal closed, the AppHost killed) is DCP's own to clean up, as before. Linux only: it reads <c>/proc</c>.
/// </summary>
internal sealed partial class OrchestratorWatch(
    ResourceNotificationService notifications,
    IHostApplicationLifetime lifetime,
    ILogger<OrchestratorWatch> logger) : BackgroundService
{
    /// <summary>DCP starts no monitor processes when this is set in its environment (which it inherits from the AppHost).</summary>
    public const string DisableMonitorsVariable = "DCP_DISABLE_MONITOR_PROCESS";

    /// <summary>How often the controller is looked for: a stat of one /proc entry.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first process DCP reports tells which process group, and so which controller, to watch.
        int? group = null;
        await foreach (var update in notifications.WatchAsync(stoppingToken))
        {
            if (update.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value &&
                ProcessGroupOf(Convert.ToInt32(value, CultureInfo.InvariantCulture)) is { } leader &&
                IsController(leader))
            {
                group = leader;
                break;
            }
        }

        if (group is not { } controller || StartTimeOf(controller) is not { } started)
        {
            return;
        }

        LogWatching(logger, controller);
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (StartTimeOf(controller) == started || lifetime.ApplicationStopping.IsCancellationRequested)
            {
                continue;
            }

            var ended = EndGroup(controller);
            LogControllerGone(logger, ended);
            lifetime.StopApplication();
            return;
        }
    }

    /// <summary>Ends every process still in <paramref name="group"/>; returns how many there were.</summary>
    internal static int EndGroup(int group)
    {
        var ended = 0;
        foreach (var pid in ProcessIds().Where(pid => pid != Environment.ProcessId && ProcessGroupOf(pid) == group))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                ended++;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Ended in between.
            }
        }

        return ended;
    }

    /// <summary>The process group of <paramref name="pid"/> (field 5 of /proc/PID/stat), or null once it has ended.</summary>
    internal static int? ProcessGroupOf(int pid) => (int?)StatField(pid, 5);

    /// <summary>When the process started, in clock ticks since boot (field 22): a pid reused by another process differs.</summary>
    internal static long? StartTimeOf(int pid) => StatField(pid, 22);

    private static bool IsController(int pid)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return arguments.Length > 1 && Path.GetFileNameWithoutExtension(arguments[0]) == "dcp" && arguments[1] == "run-controllers";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static IEnumerable<int> ProcessIds() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    // /proc/PID/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses, so count after the last ')'.
    private static long? StatField(int pid, int field)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[field - 3], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watching DCP's controller (pid {Pid}) in place of its per-process monitors.")]
    private static partial void LogWatching(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Error, Message = "Aspire's orchestrator (DCP) stopped unexpectedly; the {Count} processes it had started were ended so that none keeps its port, and the AppHost stops. Start it again.")]
    private static partial void LogControllerGone(ILogger logger, int count);
}
