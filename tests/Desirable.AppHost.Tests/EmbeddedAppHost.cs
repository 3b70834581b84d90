using Aspire.Hosting;

namespace Desirable.AppHost.Tests;

/// <summary>Starts the real AppHost in embedded mode on a data folder of the test's, without the dashboard.</summary>
internal static class EmbeddedAppHost
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    // One boot at a time: every AppHost runs `npm install` in the same emulator folder first, and on a fresh clone
    // two concurrent installs there can break each other. Booting one by one also spares the two cores.
    private static readonly SemaphoreSlim Booting = new(1, 1);

    /// <summary>Returns once the gateway, and so everything it waits for, is healthy.</summary>
    public static async Task<DistributedApplication> StartAsync(string dataDirectory, params string[] args)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Desirable_AppHost>(
            ["--Desirable:Mode=embedded", $"--Desirable:DataDirectory={dataDirectory}", .. args],
            (options, _) => options.DisableDashboard = true,
            timeout.Token);

        var app = await builder.BuildAsync(timeout.Token);
        await Booting.WaitAsync(timeout.Token);
        try
        {
            await app.StartAsync(timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);
            return app;
        }
        finally
        {
            Booting.Release();
        }
    }
}
