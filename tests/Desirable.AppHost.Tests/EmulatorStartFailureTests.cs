using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Desirable.AppHost.Tests;

/// <summary>
/// The embedded AppHost started on a data folder where the emulator cannot keep its state (its folder is a file):
/// the emulator does not start, the Media stack says so in a sentence instead of "unexpected error", and the services
/// keep waiting, saying why.
/// </summary>
public sealed class EmulatorStartFailureTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("desirable-emulator-fails-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnEmulatorThatCannotStartFailsTheStackWithTheReasonAndTheServicesWait()
    {
        await File.WriteAllTextAsync(Path.Combine(_data, "aws"), "not a folder", Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        await using var started = await BackgroundStart.BeginAsync(["--Desirable:Mode=embedded", $"--Desirable:DataDirectory={_data}"], timeout.Token);
        var app = started.App;

        var stack = await app.ResourceNotifications.WaitForResourceAsync("aws-media", e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart, timeout.Token);
        Assert.Equal(
            "aws did not start, so desirable-local-media cannot be provisioned. Start aws again (its log says why it stopped), then run Re-provision on aws-media.",
            (string?)stack.Snapshot.Properties.Single(p => p.Name == "desirable.stack.error").Value);
        var media = await app.ResourceNotifications.WaitForResourceAsync(
            "media", e => e.Snapshot.State?.Text == KnownResourceStates.Waiting && e.Snapshot.Properties.Any(p => p.Name == AwsStackBuilderExtensions.WaitingForProperty),
            timeout.Token);
        Assert.StartsWith("Waiting for aws-media, which could not be provisioned: aws did not start",
            (string?)media.Snapshot.Properties.Single(p => p.Name == AwsStackBuilderExtensions.WaitingForProperty).Value, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
