using System.Diagnostics;
using Aspire.Hosting;
using Desirable.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Desirable.AppHost.Tests;

/// <summary>
/// Locally DCP runs without a monitor process beside each resource; the AppHost watches DCP's controller instead, and
/// should the controller die, nothing it started is left running (holding the gateway's port or the data folder).
/// </summary>
public sealed class OrchestratorWatchTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("desirable-dcp-watch-").FullName;

    [Fact]
    public async Task WhenDcpsControllerDiesEveryProcessItStartedEndsAndTheAppHostStops()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The watch reads /proc.");
        var app = await EmbeddedAppHost.StartAsync(_data);
        var controller = OrchestratorWatch.ProcessGroupOf(AppProcesses.ServicePid(app, "gateway"))!.Value;
        var started = ProcessesOfGroup(controller).Where(pid => pid != controller).ToArray();
        Assert.NotEmpty(started);
        Assert.Empty(MonitorsOf(started));
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

        using (var dcp = Process.GetProcessById(controller))
        {
            dcp.Kill();
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (ProcessesOfGroup(controller).Length > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Empty(ProcessesOfGroup(controller));
        Assert.True(stopping.IsCancellationRequested, "The AppHost did not stop after DCP's controller died.");
        await DisposeQuietlyAsync(app);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static int[] ProcessesOfGroup(int group) =>
        [.. AppProcesses.All()
            .Where(pid => OrchestratorWatch.ProcessGroupOf(pid) == group && AppProcesses.IsRunning(pid))];

    /// <summary>Every <c>dcp monitor-process</c> watching one of <paramref name="children"/>.</summary>
    private static IEnumerable<int> MonitorsOf(int[] children) =>
        AppProcesses.All()
            .Where(pid => CommandLine(pid) is [_, "monitor-process", "--child", var child, ..] && children.Contains(int.Parse(child, System.Globalization.CultureInfo.InvariantCulture)));

    private static string[] CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        }
        catch (IOException)
        {
            return [];
        }
    }

    // Aspire's own shutdown cannot reach the DCP that was killed; what it reports then is not this test's subject.
    private static async Task DisposeQuietlyAsync(DistributedApplication app)
    {
        try
        {
            await app.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            TestContext.Current.SendDiagnosticMessage($"Disposing the AppHost after DCP was killed: {e.Message}");
        }
    }
}
