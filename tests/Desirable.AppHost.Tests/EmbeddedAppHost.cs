using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Desirable.AppHost.Tests;

/// <summary>Starts the real AppHost in embedded mode on a data folder of the test's, without the dashboard.</summary>
internal static class EmbeddedAppHost
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    // One boot at a time: every AppHost runs `npm install` in the same emulator folder first, and on a fresh clone
    // two concurrent installs there can break each other. Booting one by one also spares the two cores.
    private static readonly SemaphoreSlim Booting = new(1, 1);

    /// <summary>
    /// Returns once the gateway, and so everything it waits for, is healthy. A boot that fails is reported (every
    /// resource's state and the logs of the unhealthy ones, as a diagnostic message) and tried once more: CI once
    /// saw a first boot fail that every local run passes, and the report is how the next one gets explained. A
    /// second failure fails the test with the report.
    /// </summary>
    public static Task<DistributedApplication> StartAsync(string dataDirectory, params string[] args) =>
        StartAsync(dataDirectory, configure: null, args);

    /// <param name="configure">Changes to the app model before it is built (a resource's setting the AppHost does not expose).</param>
    public static async Task<DistributedApplication> StartAsync(string dataDirectory, Action<IDistributedApplicationTestingBuilder>? configure, params string[] args)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartTimeout);
        await Booting.WaitAsync(timeout.Token);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var logs = new ResourceLogCapture();
                var app = await BuildAsync(dataDirectory, args, configure, logs, timeout.Token);
                try
                {
                    await app.StartAsync(timeout.Token);
                    await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);
                    return app;
                }
                catch (Exception e) when (e is DistributedApplicationException ||
                                          (e is OperationCanceledException && !TestContext.Current.CancellationToken.IsCancellationRequested))
                {
                    var report = $"AppHost boot {attempt} failed: {e.Message}\n{StartupReport.Describe(app, logs)}";
                    await app.DisposeAsync();
                    TestContext.Current.SendDiagnosticMessage(report);
                    if (attempt == 2 || timeout.IsCancellationRequested)
                    {
                        throw new InvalidOperationException(report, e);
                    }
                }
                catch
                {
                    await app.DisposeAsync();
                    throw;
                }
            }
        }
        finally
        {
            Booting.Release();
        }
    }

    private static async Task<DistributedApplication> BuildAsync(
        string dataDirectory, string[] args, Action<IDistributedApplicationTestingBuilder>? configure, ResourceLogCapture logs, CancellationToken cancellationToken)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Desirable_AppHost>(
            ["--Desirable:Mode=embedded", $"--Desirable:DataDirectory={dataDirectory}", .. args],
            (options, _) => options.DisableDashboard = true,
            cancellationToken);
        builder.Services.AddLogging(logging => logging.AddProvider(logs));
        configure?.Invoke(builder);
        return await builder.BuildAsync(cancellationToken);
    }
}
