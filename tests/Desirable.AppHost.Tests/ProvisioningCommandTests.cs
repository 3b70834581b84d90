using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Desirable.AppHost.Tests;

/// <summary>The dashboard's commands, run on the running app against the real fauxqs and processor.</summary>
[Collection(RunningAppHost.Name)]
public sealed class ProvisioningCommandTests(AppHostFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheEmulatorsProvisionStacksCommandBringsTheMediaStackToItsTemplateAgain()
    {
        var commands = app.App.Services.GetRequiredService<ResourceCommandService>();

        var result = await commands.ExecuteCommandAsync("aws", AwsStackBuilderExtensions.ProvisionStacksCommand, Ct);

        Assert.True(result.Success, result.Message);
        var stack = await app.App.ResourceNotifications.WaitForResourceAsync("aws-media", e => e.Snapshot.State?.Text == KnownResourceStates.Running, Ct);
        Assert.Contains(stack.Snapshot.Properties, p => p.Name == "desirable.output.MediaBucketName" && (string?)p.Value == "desirable-local-media-000000000000-us-east-1");
    }

    [Fact]
    public async Task TheProcessorsRedriveCommandRunsInTheProcessorAndSaysWhatItDid()
    {
        var commands = app.App.Services.GetRequiredService<ResourceCommandService>();

        var result = await commands.ExecuteCommandAsync("processor", ProcessorCommandExtensions.RedriveCommand, Ct);

        // Other tests of this app may have left jobs in the dead-letter queue; either way the processor says so.
        Assert.True(result.Success, result.Message);
        Assert.Matches("sent back for processing|nothing to redrive", result.Message);
    }
}
