using System.Diagnostics;

namespace Desirable.Hosting.Tests;

/// <summary>
/// The pieces of the AppHost's watch over DCP, on real processes: a process group is found and ended whole, and a
/// process that has ended is told apart from one that still runs. (The AppHost test kills DCP's controller itself.)
/// </summary>
public sealed class OrchestratorWatchTests
{
    [Fact]
    public async Task EndingAGroupEndsEveryProcessInItAndNothingElse()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Process groups are read from /proc.");
        // setsid: a shell leading a group of its own, with a child in the same group, as DCP's controller and its services.
        using var leader = Process.Start(new ProcessStartInfo("setsid", ["sh", "-c", "sleep 120 & sleep 120"]))!;
        using var outsider = Process.Start(new ProcessStartInfo("sleep", ["120"]))!;
        try
        {
            // The shell and both sleeps (or one, where the shell runs the last command in its own place).
            var members = await MembersWhenStartedAsync(leader.Id, count: 2);

            var ended = OrchestratorWatch.EndGroup(leader.Id);

            Assert.InRange(ended, members.Length, 3);
            await leader.WaitForExitAsync(TestContext.Current.CancellationToken);
            foreach (var member in members)
            {
                await WaitUntilGoneAsync(member);
            }

            Assert.False(outsider.HasExited);
        }
        finally
        {
            outsider.Kill();
            leader.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task AProcessThatEndedHasNoStartTimeAndNoGroup()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Processes are read from /proc.");
        using var process = Process.Start(new ProcessStartInfo("sleep", ["120"]))!;
        var pid = process.Id;

        Assert.NotNull(OrchestratorWatch.StartTimeOf(pid));
        Assert.Equal(OrchestratorWatch.ProcessGroupOf(Environment.ProcessId), OrchestratorWatch.ProcessGroupOf(pid));

        process.Kill();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Null(OrchestratorWatch.StartTimeOf(pid));
        Assert.Null(OrchestratorWatch.ProcessGroupOf(pid));
    }

    private static async Task<int[]> MembersWhenStartedAsync(int group, int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var members = AppProcesses.All()
                .Where(pid => OrchestratorWatch.ProcessGroupOf(pid) == group)
                .ToArray();
            if (members.Length >= count)
            {
                return members;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new InvalidOperationException($"The group {group} never had {count} processes.");
    }

    private static async Task WaitUntilGoneAsync(int pid)
    {
        for (var attempt = 0; attempt < 100 && AppProcesses.IsRunning(pid); attempt++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.False(AppProcesses.IsRunning(pid), $"Process {pid} still runs.");
    }
}
