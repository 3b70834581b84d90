using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Desirable.AppHost.Tests;

/// <summary>
/// The aws mode started for real where it cannot reach AWS: an unknown AWS profile. The stacks say so in a sentence
/// on the dashboard, the catalog and the services never start against half-provisioned resources, and nothing
/// leaves this machine (the profile check comes before any call).
/// </summary>
public sealed class AwsModeStartTests : IDisposable
{
    private const string Profile = "desirable-test-profile-that-does-not-exist";

    private readonly string _data = Directory.CreateTempSubdirectory("desirable-aws-mode-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnUnknownProfileFailsTheStacksWithTheReasonAndTheServicesWaitSayingWhy()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await using var started = await BackgroundStart.BeginAsync(
            [
                "--Desirable:Mode=aws", $"--Desirable:DataDirectory={_data}", "--Parameters:aws-stage=ci",
                $"--Parameters:aws-profile={Profile}", "--Parameters:mongo-connection-string=mongodb://localhost/desirable",
            ],
            timeout.Token);
        var app = started.App;

        var media = await app.ResourceNotifications.WaitForResourceAsync("aws-media", e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart, timeout.Token);
        var error = media.Snapshot.Properties.Single(p => p.Name == "desirable.stack.error").Value as string;
        Assert.Equal(
            $"The AWS profile '{Profile}' is not configured on this machine: run 'aws configure --profile {Profile}' (or 'aws configure sso'), or name a profile that exists. " +
            "The AppHost takes the profile and region from --Parameters:aws-profile=<profile> and --Parameters:aws-region=<region> (or the same user secrets); start it again after setting them.",
            error);
        await app.ResourceNotifications.WaitForResourceAsync("aws-database", e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart, timeout.Token);

        // The stage's templates were synthesized for "ci" before the profile was looked at.
        Assert.True(File.Exists(Path.Combine(_data, "stacks", "ci", "media.template.json")));
        // They keep waiting (a Re-provision that succeeds lets them go on) and each says what it waits for, and why.
        foreach (var (service, stack) in new[] { ("catalog", "aws-database"), ("media", "aws-media"), ("processor", "aws-media") })
        {
            var waiting = await app.ResourceNotifications.WaitForResourceAsync(
                service, e => e.Snapshot.Properties.Any(p => p.Name == AwsStackBuilderExtensions.WaitingForProperty), timeout.Token);
            Assert.Equal(KnownResourceStates.Waiting, waiting.Snapshot.State?.Text);
            var why = (string?)waiting.Snapshot.Properties.Single(p => p.Name == AwsStackBuilderExtensions.WaitingForProperty).Value;
            // The Database stack fails on the profile too, or on the Media stack's key, which the profile kept from it.
            Assert.StartsWith($"Waiting for {stack}, which could not be provisioned: ", why, StringComparison.Ordinal);
            Assert.Contains($"The AWS profile '{Profile}' is not configured", why, StringComparison.Ordinal);
            Assert.EndsWith($"When it is fixed, run Re-provision on {stack}.", why, StringComparison.Ordinal);
        }
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
