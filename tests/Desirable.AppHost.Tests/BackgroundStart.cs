using Aspire.Hosting;

namespace Desirable.AppHost.Tests;

/// <summary>
/// The real AppHost, without the dashboard, whose start goes on in the background. Aspire's start does not finish
/// while a service waits (for a stack that failed, say), so the tests that expect waiting watch the resources
/// while it goes on; disposing stops everything.
/// </summary>
internal sealed class BackgroundStart : IAsyncDisposable
{
    private readonly Task _starting;

    private BackgroundStart(DistributedApplication app, CancellationToken cancellationToken)
    {
        App = app;
        _starting = app.StartAsync(cancellationToken);
    }

    public DistributedApplication App { get; }

    public static async Task<BackgroundStart> BeginAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Desirable_AppHost>(
            args, (options, _) => options.DisableDashboard = true, cancellationToken);
        return new BackgroundStart(await builder.BuildAsync(cancellationToken), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await _starting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
