using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Desirable.AppHost.Tests;

/// <summary>
/// What a container that does not start shows on the dashboard. No container runtime runs here, so the state DCP
/// publishes for a failed pull ("FailedToStart") is published by the test on Aspire's real notification service.
/// </summary>
public sealed class ContainerImageProblemTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AContainerThatFailsToStartSaysWhichImageAndHowToUseAMirror_WithTheFailurePublishedByTheTest()
    {
        var floci = new AwsEmulatorContainerResource("floci", AwsEmulatorImage.Floci);
        floci.Annotations.Add(new ContainerImageAnnotation { Registry = "docker.io", Image = "floci/floci", Tag = "1.5.11" });
        using var notifications = new ResourceNotificationService(
            NullLogger<ResourceNotificationService>.Instance, new NoLifetime(), new ServiceCollection().BuildServiceProvider(), new ResourceLoggerService());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var watching = ContainerImageExtensions.ReportFailuresAsync(floci, notifications, NullLogger.Instance, stop.Token);

        await notifications.PublishUpdateAsync(floci, s => s with { State = KnownResourceStates.FailedToStart });
        var failed = await notifications.WaitForResourceAsync("floci", e => e.Snapshot.Properties.Any(p => p.Name == ContainerImageExtensions.ImageProblemProperty), Ct);
        await notifications.PublishUpdateAsync(floci, s => s with { State = KnownResourceStates.Running });
        var running = await notifications.WaitForResourceAsync(
            "floci", e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.Properties.All(p => p.Name != ContainerImageExtensions.ImageProblemProperty), Ct);
        await stop.CancelAsync();
        await watching;

        Assert.Equal(
            "floci did not start. If its image docker.io/floci/floci:1.5.11 could not be pulled (the log above has the runtime's words), check the " +
            "network or sign in to the registry ('docker login docker.io'), or pull through a mirror that has it: --Desirable:ContainerRegistry=<mirror>.",
            (string?)failed.Snapshot.Properties.Single(p => p.Name == ContainerImageExtensions.ImageProblemProperty).Value);
        Assert.Equal(KnownResourceStates.Running, running.Snapshot.State?.Text);
    }

    private sealed class NoLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
