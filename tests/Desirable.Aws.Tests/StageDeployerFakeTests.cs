using Amazon.Runtime;
using Desirable.Aws.CloudFormation;
using Desirable.Aws.Query;
using Microsoft.Extensions.Logging.Abstractions;

namespace Desirable.Aws.Tests;

/// <summary>
/// A stage's stacks planned and deployed in order against <see cref="FakeCloudFormation"/>, a test double of the
/// Query endpoint (no CloudFormation is reachable here): the plan before anything changes, outputs passed on as
/// parameters by name, nothing left behind by a plan that is dropped or a deployment that fails.
/// </summary>
public sealed class StageDeployerFakeTests : IAsyncLifetime
{
    // Three stacks as the stage has them: the second stands alone, the third takes the first's outputs.
    private static readonly StackToDeploy Media = new("desirable-alice-media", """
        {"Resources":{"Bucket":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":"b1"}},
                      "Jobs":{"Type":"AWS::SQS::Queue","Properties":{"QueueName":"jobs"}}},
         "Outputs":{"MediaBucketName":{"Value":{"Ref":"Bucket"}},"JobQueueArn":{"Value":{"Ref":"Jobs"}}}}
        """, Tags);

    private static readonly StackToDeploy Registry = new("desirable-alice-registry", """
        {"Resources":{"Repository":{"Type":"AWS::ECR::Repository","Properties":{"RepositoryName":"r"}}},
         "Outputs":{"MediaRepositoryUri":{"Value":{"Ref":"Repository"}}}}
        """, Tags);

    private static readonly StackToDeploy Api = new("desirable-alice-api", """
        {"Parameters":{"MediaBucketName":{"Type":"String"},"JobQueueArn":{"Type":"String"},"MediaImageDigest":{"Type":"String"},
                       "LogRetentionDays":{"Type":"Number","Default":30}},
         "Resources":{"Service":{"Type":"AWS::ECS::Service","Properties":{"ServiceName":"media"}},
                      "Logs":{"Type":"AWS::Logs::LogGroup","Properties":{}}}}
        """, Tags);

    private static readonly Dictionary<string, string> Values = new() { ["MediaImageDigest"] = "sha256:" + new string('a', 64) };

    private static IReadOnlyDictionary<string, string> Tags => new Dictionary<string, string> { ["desirable:stage"] = "alice" };

    private FakeCloudFormation _fake = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _fake = await FakeCloudFormation.StartAsync();

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task FakeAFirstDeployIsPlannedWithoutChangingAnythingAndAStackWaitingForOutputsIsPlannedFromItsTemplate()
    {
        var plan = await Stage().PlanAsync([Media, Registry, Api], Values, Ct);

        Assert.Equal(0, _fake.CallsOf("ExecuteChangeSet"));
        Assert.Equal([StackPlanKind.Create, StackPlanKind.Create], plan.Steps.Take(2).Select(s => s.Plan!.Kind));
        var api = plan.Steps[2];
        Assert.Null(api.Plan);
        Assert.Equal(["desirable-alice-media"], api.After);
        var text = plan.Describe();
        Assert.Contains("desirable-alice-media     create: 2 resources to add", text, StringComparison.Ordinal);
        Assert.Contains("desirable-alice-registry  create: 1 resource to add", text, StringComparison.Ordinal);
        Assert.Contains("desirable-alice-api       create after desirable-alice-media: 2 resources to add", text, StringComparison.Ordinal);
        Assert.True(plan.ChangesAnything);
    }

    [Fact]
    public async Task FakeDeployingAppliesTheStacksInOrderAndPassesOutputsOnAsParametersByName()
    {
        var stage = Stage();
        var plan = await stage.PlanAsync([Media, Registry, Api], Values, Ct);

        var results = await stage.ExecuteAsync(plan, Values, Ct);

        Assert.Equal([StackDeploymentOutcome.Created, StackDeploymentOutcome.Created, StackDeploymentOutcome.Created], results.Select(r => r.Outcome));
        Assert.Equal(["desirable-alice-media", "desirable-alice-registry", "desirable-alice-api"], results.Select(r => r.Stack.StackName));
        var api = Parameters(_fake.LastChangeSetRequest);
        Assert.Equal("desirable-alice-media-MediaBucketName-value", api["MediaBucketName"]);
        Assert.Equal("desirable-alice-media-JobQueueArn-value", api["JobQueueArn"]);
        Assert.Equal(Values["MediaImageDigest"], api["MediaImageDigest"]);
        // A parameter with a default that nobody gave keeps its default: it is not sent.
        Assert.False(api.ContainsKey("LogRetentionDays"));
    }

    [Fact]
    public async Task FakeASecondDeployWithNothingNewIsUnchangedEverywhere()
    {
        var stage = Stage();
        await stage.ExecuteAsync(await stage.PlanAsync([Media, Registry, Api], Values, Ct), Values, Ct);

        var again = await stage.PlanAsync([Media, Registry, Api], Values, Ct);

        Assert.All(again.Steps, s => Assert.Equal(StackPlanKind.Unchanged, s.Plan?.Kind));
        Assert.False(again.ChangesAnything);
        Assert.Equal(3, again.Describe().Split('\n').Count(l => l.TrimEnd().EndsWith("unchanged", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FakeAPlanThatReplacesABucketCallsTheLossOut()
    {
        var stage = Stage();
        await stage.ExecuteAsync(await stage.PlanAsync([Media], Values, Ct), Values, Ct);
        var renamed = Media with { TemplateBody = Media.TemplateBody.Replace("\"b1\"", "\"b2\"", StringComparison.Ordinal) };

        var plan = await stage.PlanAsync([renamed], Values, Ct);

        var (stack, loss) = Assert.Single(plan.Losses);
        Assert.Equal(("desirable-alice-media", "Bucket"), (stack, loss.LogicalResourceId));
        var text = plan.Describe();
        Assert.Contains("update: 0 to add, 1 to modify (1 replaced), 0 to remove", text, StringComparison.Ordinal);
        Assert.Contains("! Bucket (AWS::S3::Bucket) holds data and would be replaced", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FakeADroppedPlanLeavesNoChangeSetAndNoEmptyStack()
    {
        var stage = Stage();
        var plan = await stage.PlanAsync([Media, Registry, Api], Values, Ct);

        await stage.DiscardAsync(plan, Ct);

        Assert.Equal(2, _fake.CallsOf("DeleteChangeSet"));
        Assert.Null(await Client().DescribeStackAsync(Media.StackName, Ct));
        Assert.Null(await Client().DescribeStackAsync(Registry.StackName, Ct));
        Assert.Equal(0, _fake.CallsOf("ExecuteChangeSet"));
    }

    [Fact]
    public async Task FakeAStackThatFailsStopsTheDeploymentWithItsReasonAndTheStacksAfterItAreNotTouched()
    {
        var stage = Stage();
        var plan = await stage.PlanAsync([Media, Registry, Api], Values, Ct);
        _fake.FailingResources["Repository"] = "Resource handler returned message: \"Repository r already exists\"";

        var failure = await Assert.ThrowsAsync<StackDeploymentException>(() => stage.ExecuteAsync(plan, Values, Ct));

        Assert.Contains("Repository (AWS::ECR::Repository): Resource handler returned message: \"Repository r already exists\"", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, _fake.CallsOf("ExecuteChangeSet"));
        Assert.Null(await Client().DescribeStackAsync(Api.StackName, Ct));
    }

    [Fact]
    public async Task FakeAParameterNoStackProvidesAndNobodyGaveStopsThePlanAndLeavesNothing()
    {
        var failure = await Assert.ThrowsAsync<StackDeploymentException>(() => Stage().PlanAsync([Media, Registry, Api], new Dictionary<string, string>(), Ct));

        Assert.Equal("desirable-alice-api needs MediaImageDigest, which no stack before it provides and the deployment was not given.", failure.Message);
        Assert.Null(await Client().DescribeStackAsync(Media.StackName, Ct));
        Assert.Equal(0, _fake.CallsOf("ExecuteChangeSet"));
    }

    [Fact]
    public async Task FakeRemovingDeletesInReverseOrderAndASecondRemoveHasNothingToDo()
    {
        var stage = Stage();
        await stage.ExecuteAsync(await stage.PlanAsync([Media, Registry, Api], Values, Ct), Values, Ct);

        var removed = await stage.RemoveAsync([Media, Registry, Api], Ct);
        var again = await stage.RemoveAsync([Media, Registry, Api], Ct);

        Assert.Equal(["desirable-alice-api", "desirable-alice-registry", "desirable-alice-media"], removed);
        Assert.Empty(again);
    }

    private static Dictionary<string, string> Parameters(IReadOnlyDictionary<string, string> form) =>
        form.Where(f => f.Key.EndsWith(".ParameterKey", StringComparison.Ordinal))
            .ToDictionary(f => f.Value, f => form[f.Key.Replace(".ParameterKey", ".ParameterValue", StringComparison.Ordinal)]);

    private CloudFormationClient Client() => new(new HttpClient(), new AwsQueryClientOptions
    {
        ServiceUrl = _fake.Url,
        Region = "us-east-1",
        Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
    });

    private StageDeployer Stage()
    {
        var client = Client();
        return new StageDeployer(client, new StackDeployer(client, new StackDeployerOptions { PollInterval = TimeSpan.FromMilliseconds(5) }, NullLogger.Instance), NullLogger.Instance);
    }
}
