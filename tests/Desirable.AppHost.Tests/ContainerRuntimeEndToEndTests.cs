using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using static Desirable.Testing.StandInRuntimes;

namespace Desirable.AppHost.Tests;

/// <summary>
/// The mode decision end to end, with a stand-in docker (a test double: no runtime runs here) whose daemon is down,
/// as the probe's whole PATH: auto mode comes up embedded and says why; containers asked for stops at once, with the
/// reason and no stack trace.
/// </summary>
public sealed class ContainerRuntimeEndToEndTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("desirable-daemon-down-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AutoModeWithADaemonDownDockerStandInComesUpEmbeddedAndTheModeResourceSaysWhy()
    {
        await using var app = await EmbeddedAppHost.StartAsync(_data, "--Desirable:Mode=auto", $"--PATH={Create(Behaviour.DockerDaemonDown)}");

        Assert.True(app.ResourceNotifications.TryGetCurrentState("mode", out var mode));
        // In the state column, where the dashboard shows it without asking, and in full among the properties.
        Assert.Equal(("Embedded because the Docker daemon is not running", KnownResourceStateStyles.Warn), (mode.Snapshot.State?.Text, mode.Snapshot.State?.Style));
        var reason = (string?)mode.Snapshot.Properties.Single(p => p.Name == "desirable.mode.reason").Value;
        Assert.Equal(
            "auto: no container runtime can run containers. docker is installed, but the Docker daemon is not running. Start Docker " +
            "Desktop, or 'sudo systemctl start docker'.",
            reason);
        Assert.DoesNotContain(mode.Snapshot.Properties, p => p.Name == "desirable.container-runtime");
    }

    [Fact]
    public async Task ContainersAskedForWithADaemonDownDockerStandInStopsAtOnceWithTheReason()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { AppHostAssembly(), "--Desirable:Mode=containers", $"--PATH={Create(Behaviour.DockerDaemonDown)}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _data,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.Equal(1, process.ExitCode);
        Assert.Equal(
            "Containers mode was asked for, but no container runtime can run containers. docker is installed, but the Docker daemon is " +
            "not running. Start Docker Desktop, or 'sudo systemctl start docker'. Or run without containers: --Desirable:Mode=embedded.",
            (await error).Trim());
        Assert.DoesNotContain(" at ", await output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    /// <summary>The AppHost built alongside these tests, in the same configuration.</summary>
    private static string AppHostAssembly()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(RepositoryPaths.Root, "src", "Desirable.AppHost", "bin", configuration, "net10.0", "Desirable.AppHost.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("The AppHost is not built.", path);
    }
}
