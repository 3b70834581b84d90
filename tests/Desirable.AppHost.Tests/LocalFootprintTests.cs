using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Desirable.Hosting;
using Desirable.Testing;

namespace Desirable.AppHost.Tests;

/// <summary>
/// The settings that keep the idle app light (bench/Desirable.FootprintBench measures what they save) reach every
/// service the running app started, over Aspire's own development defaults.
/// </summary>
[Collection(RunningAppHost.Name)]
public sealed class LocalFootprintTests(AppHostFixture app)
{
    [Fact]
    public async Task EveryServiceExportsMetricsEveryTenSecondsWithWorkstationGcAndNoPgo()
    {
        foreach (var name in new[] { "media", "processor", "identity", "web", "gateway" })
        {
            var started = await app.App.ResourceNotifications.WaitForResourceAsync(
                name, e => e.Snapshot.EnvironmentVariables.Any(v => v.Name == "OTEL_METRIC_EXPORT_INTERVAL"), TestContext.Current.CancellationToken);
            var environment = started.Snapshot.EnvironmentVariables.ToDictionary(v => v.Name, v => v.Value);

            Assert.Equal("10000", environment["OTEL_METRIC_EXPORT_INTERVAL"]);
            Assert.Equal("0", environment["DOTNET_gcServer"]);
            Assert.Equal("0", environment["DOTNET_TieredPGO"]);
            // Traces keep Aspire's one-second batches, so an upload shows up in the dashboard at once.
            Assert.Equal("1000", environment["OTEL_BSP_SCHEDULE_DELAY"]);
        }
    }

    [Fact]
    public async Task EveryServiceRunsAsItsOwnProgramWithoutDotnetRun()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The process's command line is read from /proc.");
        var services = new (string Name, IProjectMetadata Project)[]
        {
            ("media", new Projects.Desirable_MediaService()), ("processor", new Projects.Desirable_MediaProcessor()),
            ("identity", new Projects.Desirable_Identity()), ("web", new Projects.Desirable_Web()),
            ("gateway", new Projects.Desirable_Gateway()),
        };
        foreach (var (name, project) in services)
        {
            await app.App.ResourceNotifications.WaitForResourceHealthyAsync(name, TestContext.Current.CancellationToken);

            var commandLine = File.ReadAllText($"/proc/{AppProcesses.ServicePid(app.App, name)}/cmdline").Split('\0');

            Assert.Equal(ServicePrograms.Find(typeof(Projects.Desirable_AppHost).Assembly, project.ProjectPath), commandLine[0]);
        }
    }
}
