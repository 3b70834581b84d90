using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Desirable.AppHost.Tests;

/// <summary>
/// The embedded AppHost started on a data folder where the emulator cannot keep its state (its folder is a file):
/// the emulator does not start, the Media stack says so in a sentence instead of "unexpected error", and the services
/// keep waiting, saying why.
/// </summary>
public sealed class EmulatorStartFailureTests : IAsyncDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("desirable-emulator-fails-").FullName;
    private DistributedApplication? _app;
    private Task? _starting;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnEmulatorThatCannotStartFailsTheStackWithTheReasonAndTheServicesWait()
    {
        await File.WriteAllTextAsync(Path.Combine(_data, "aws"), "not a folder", Ct);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Desirable_AppHost>(
            ["--Desirable:Mode=embedded", $"--Desirable:DataDirectory={_data}"], (options, _) => options.DisableDashboard = true, Ct);
        _app = await builder.BuildAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));

        // Starting does not finish while services wait for the failed stack.
        _starting = _app.StartAsync(timeout.Token);

        var stack = await _app.ResourceNotifications.WaitForResourceAsync("aws-media", e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart, timeout.Token);
        Assert.Equal(
            "aws did not start, so desirable-local-media cannot be provisioned. Start aws again (its log says why it stopped), then run Re-provision on aws-media.",
            (string?)stack.Snapshot.Properties.Single(p => p.Name == "desirable.stack.error").Value);
        var media = await _app.ResourceNotifications.WaitForResourceAsync(
            "media", e => e.Snapshot.State?.Text == KnownResourceStates.Waiting && e.Snapshot.Properties.Any(p => p.Name == AwsStackBuilderExtensions.WaitingForProperty),
            timeout.Token);
        Assert.StartsWith("Waiting for aws-media, which could not be provisioned: aws did not start",
            (string?)media.Snapshot.Properties.Single(p => p.Name == AwsStackBuilderExtensions.WaitingForProperty).Value, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_starting is not null)
        {
            await _starting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        Directory.Delete(_data, recursive: true);
    }
}
