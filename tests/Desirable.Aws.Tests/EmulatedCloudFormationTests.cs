using Amazon.CDK;
using Amazon.Runtime;
using Desirable.Aws.CloudFormation;
using Desirable.Aws.Query;
using Desirable.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Desirable.Aws.Tests;

/// <summary>
/// The deployer and the Media stack's real template against a real CloudFormation (Floci or LocalStack in a
/// container), as containers mode uses them. Skipped, with the reason, where no container runtime answers.
/// </summary>
public sealed class EmulatedCloudFormationTests(CloudFormationEmulator emulator) : IClassFixture<CloudFormationEmulator>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheMediaStackIsCreatedThenLeftAloneThenDeleted()
    {
        var url = emulator.RequireUrl();
        var stage = StageName.Parse($"t{Guid.NewGuid():N}"[..12]);
        var client = new CloudFormationClient(new HttpClient(), new AwsQueryClientOptions
        {
            ServiceUrl = url,
            Region = "us-east-1",
            Credentials = new BasicAWSCredentials("test", "test"),
        });
        var deployer = new StackDeployer(client, new StackDeployerOptions { PollInterval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromMinutes(3) }, NullLogger.Instance);
        var deployment = new StackDeployment(stage.StackName(DesirableStacks.Media), MediaTemplate(stage), [], new Dictionary<string, string> { ["desirable:stage"] = stage.Value });

        var created = await deployer.DeployAsync(deployment, null, Ct);
        var again = await deployer.DeployAsync(deployment, null, Ct);
        await deployer.DeleteAsync(deployment.StackName, Ct);

        Assert.Equal(StackDeploymentOutcome.Created, created.Outcome);
        Assert.Equal($"desirable-{stage}-media-processing", created.Stack.Outputs[MediaOutputs.JobQueueName]);
        Assert.Equal(14, created.Stack.Outputs.Count);
        Assert.Equal(StackDeploymentOutcome.Unchanged, again.Outcome);
        Assert.Null(await client.DescribeStackAsync(deployment.StackName, Ct));
    }

    private static string MediaTemplate(StageName stage)
    {
        var output = Directory.CreateTempSubdirectory("desirable-emulated-cfn-").FullName;
        Desirable.Infrastructure.JsiiWorkspace.CleanUpAtExit();
        var app = new App(new AppProps { Outdir = output });
        DesirableStacks.AddTo(app, new StageSettings(stage, Disposable: true));
        app.Synth();
        return File.ReadAllText(Path.Combine(output, $"{DesirableStacks.Media}.template.json"));
    }
}
