using Aspire.Hosting.ApplicationModel;

namespace Desirable.AppHost.Tests;

/// <summary>
/// The settings that keep the idle app light (bench/Desirable.FootprintBench measures what they save) reach every
/// service the running app started, over Aspire's own development defaults.
/// </summary>
[Collection(RunningAppHost.Name)]
public sealed class LocalFootprintTests(AppHostFixture app)
{
    [Fact]
    public async Task EveryServiceExportsMetricsEveryTenSecondsWithWorkstationGc()
    {
        foreach (var name in new[] { "media", "processor", "identity", "web", "gateway" })
        {
            var started = await app.App.ResourceNotifications.WaitForResourceAsync(
                name, e => e.Snapshot.EnvironmentVariables.Any(v => v.Name == "OTEL_METRIC_EXPORT_INTERVAL"), TestContext.Current.CancellationToken);
            var environment = started.Snapshot.EnvironmentVariables.ToDictionary(v => v.Name, v => v.Value);

            Assert.Equal("10000", environment["OTEL_METRIC_EXPORT_INTERVAL"]);
            Assert.Equal("0", environment["DOTNET_gcServer"]);
            // Traces keep Aspire's one-second batches, so an upload shows up in the dashboard at once.
            Assert.Equal("1000", environment["OTEL_BSP_SCHEDULE_DELAY"]);
        }
    }
}
