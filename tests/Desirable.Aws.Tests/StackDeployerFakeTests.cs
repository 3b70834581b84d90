using Amazon.Runtime;
using Desirable.Aws.CloudFormation;
using Desirable.Aws.Query;
using Microsoft.Extensions.Logging;

namespace Desirable.Aws.Tests;

/// <summary>
/// The CloudFormation client and the deployer against <see cref="FakeCloudFormation"/>, a test double of the Query
/// endpoint (no CloudFormation is reachable here): every state and failure path the deployer must handle.
/// </summary>
public sealed class StackDeployerFakeTests : IAsyncLifetime
{
    private const string Stack = "desirable-alice-media";

    private const string Template = """
        {"Resources":{
          "Bucket":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":"b1"}},
          "Jobs":{"Type":"AWS::SQS::Queue","Properties":{"QueueName":"jobs","VisibilityTimeout":60}},
          "Topic":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":"events"}}},
         "Outputs":{"MediaBucketName":{"Value":{"Ref":"Bucket"}},"JobQueueUrl":{"Value":{"Ref":"Jobs"}}}}
        """;

    private readonly LogLines _log = new();
    private FakeCloudFormation _fake = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _fake = await FakeCloudFormation.StartAsync();

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task FakeCreatesAStackThroughAChangeSetListsEveryChangeAndReturnsItsOutputs()
    {
        var result = await Deployer().DeployAsync(Deployment(Template), approveLosses: null, Ct);

        Assert.Equal(StackDeploymentOutcome.Created, result.Outcome);
        Assert.Equal("CREATE_COMPLETE", result.Stack.Status);
        Assert.Equal($"{Stack}-MediaBucketName-value", result.Stack.Outputs["MediaBucketName"]);
        Assert.Equal("CREATE", _fake.LastChangeSetRequest["ChangeSetType"]);
        // Three changes come on two pages; all three are listed, then every resource's event.
        Assert.Contains(_log.Lines, l => l.Contains("Change: Add Bucket (AWS::S3::Bucket)", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, l => l.Contains("Change: Add Topic (AWS::SNS::Topic)", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, l => l.Contains("Jobs (AWS::SQS::Queue) CREATE_COMPLETE", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, l => l.Contains($"{Stack} (AWS::CloudFormation::Stack) CREATE_COMPLETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FakeUnchangedTemplateParametersAndTagsProvisionNothing()
    {
        await Deployer().DeployAsync(Deployment(Template), null, Ct);

        var again = await Deployer().DeployAsync(Deployment(Template), null, Ct);

        Assert.Equal(StackDeploymentOutcome.Unchanged, again.Outcome);
        Assert.Equal(1, _fake.CallsOf("CreateChangeSet"));
        Assert.Equal($"{Stack}-JobQueueUrl-value", again.Stack.Outputs["JobQueueUrl"]);
    }

    [Fact]
    public async Task FakeAChangedParameterIsAnUpdate()
    {
        await Deployer().DeployAsync(Deployment(Template), null, Ct);
        var changed = Deployment(Template.Replace("\"VisibilityTimeout\":60", "\"VisibilityTimeout\":90", StringComparison.Ordinal));

        var result = await Deployer().DeployAsync(changed, null, Ct);

        Assert.Equal(StackDeploymentOutcome.Updated, result.Outcome);
        Assert.Equal("UPDATE", _fake.LastChangeSetRequest["ChangeSetType"]);
        Assert.Contains(_log.Lines, l => l.Contains("Change: Modify Jobs (AWS::SQS::Queue)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FakeAChangeSetWithoutChangesIsNoChangeAndIsDeleted()
    {
        var deployment = Deployment(Template);
        var tags = new Dictionary<string, string>(deployment.Tags) { [StackDeployment.InputsTag] = deployment.InputsHash() };
        _fake.Seed(Stack, "UPDATE_ROLLBACK_COMPLETE", Template, tags: tags);

        var result = await Deployer().DeployAsync(deployment, null, Ct);

        Assert.Equal(StackDeploymentOutcome.Unchanged, result.Outcome);
        Assert.Equal(1, _fake.CallsOf("DeleteChangeSet"));
        Assert.Equal(0, _fake.CallsOf("ExecuteChangeSet"));
    }

    [Fact]
    public async Task FakeAFirstCreationThatRolledBackIsDeletedAndCreatedAgain()
    {
        _fake.Seed(Stack, "ROLLBACK_COMPLETE");

        var result = await Deployer().DeployAsync(Deployment(Template), null, Ct);

        Assert.Equal(StackDeploymentOutcome.Created, result.Outcome);
        Assert.Equal(1, _fake.CallsOf("DeleteStack"));
        Assert.Contains(_log.Lines, l => l.Contains("ROLLBACK_COMPLETE after a failed first creation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FakeAStackAlreadyInProgressIsWaitedForFirst()
    {
        _fake.Seed(Stack, "UPDATE_IN_PROGRESS", Template, stepsUntilSettled: 3, settlesAs: "UPDATE_COMPLETE");

        var result = await Deployer().DeployAsync(Deployment(Template.Replace("jobs", "jobs2", StringComparison.Ordinal)), (_, _) => Task.CompletedTask, Ct);

        Assert.Equal(StackDeploymentOutcome.Updated, result.Outcome);
        Assert.Contains(_log.Lines, l => l.Contains("is UPDATE_IN_PROGRESS; waiting for that to finish first", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FakeUpdateRollbackFailedIsAClearErrorThatSaysWhatToDo()
    {
        _fake.Seed(Stack, "UPDATE_ROLLBACK_FAILED", Template);

        var error = await Assert.ThrowsAsync<StackDeploymentException>(() => Deployer().DeployAsync(Deployment(Template), null, Ct));

        Assert.Contains("UPDATE_ROLLBACK_FAILED", error.Message, StringComparison.Ordinal);
        Assert.Contains($"aws cloudformation continue-update-rollback --stack-name {Stack}", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _fake.CallsOf("CreateChangeSet"));
    }

    [Fact]
    public async Task FakeAFailedUpdateWhoseRollbackFailsEndsWithTheResourcesReason()
    {
        await Deployer().DeployAsync(Deployment(Template), null, Ct);
        _fake.FailingResources["Jobs"] = "Resource handler returned message: \"Access to the queue is denied\"";
        _fake.RollbackFails = true;

        var error = await Assert.ThrowsAsync<StackDeploymentException>(() =>
            Deployer().DeployAsync(Deployment(Template.Replace("\"VisibilityTimeout\":60", "\"VisibilityTimeout\":30", StringComparison.Ordinal)), null, Ct));

        Assert.Contains("ended UPDATE_ROLLBACK_FAILED", error.Message, StringComparison.Ordinal);
        Assert.Contains("Jobs (AWS::SQS::Queue): Resource handler returned message: \"Access to the queue is denied\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FakeAResourceThatFailsToCreateRollsBackAndTheNextRunStartsAfresh()
    {
        _fake.FailingResources["Bucket"] = "desirable-alice-media-b1 already exists";

        var error = await Assert.ThrowsAsync<StackDeploymentException>(() => Deployer().DeployAsync(Deployment(Template), null, Ct));
        Assert.Contains("ended ROLLBACK_COMPLETE", error.Message, StringComparison.Ordinal);
        Assert.Contains("Bucket (AWS::S3::Bucket): desirable-alice-media-b1 already exists", error.Message, StringComparison.Ordinal);

        _fake.FailingResources.Clear();
        var result = await Deployer().DeployAsync(Deployment(Template), null, Ct);
        Assert.Equal(StackDeploymentOutcome.Created, result.Outcome);
    }

    [Fact]
    public async Task FakeATemplateCloudFormationRejectsIsAClearErrorAndLeavesNoStackBehind()
    {
        var error = await Assert.ThrowsAsync<StackDeploymentException>(() =>
            Deployer().DeployAsync(Deployment("""{"Resources":{"X":{"Type":"Desirable::Nope::Thing"}}}"""), null, Ct));
        Assert.Equal("CloudFormation refused the change set for desirable-alice-media: Template format error: Unrecognized resource types: [Desirable::Nope::Thing]", error.Message);

        var empty = await Assert.ThrowsAsync<StackDeploymentException>(() => Deployer().DeployAsync(Deployment("""{"Resources":{}}"""), null, Ct));
        Assert.Contains("At least one Resources member must be defined", empty.Message, StringComparison.Ordinal);
        Assert.Equal(1, _fake.CallsOf("DeleteStack"));
    }

    [Fact]
    public async Task FakeReplacingAResourceThatHoldsDataWaitsForTheApproval()
    {
        await Deployer().DeployAsync(Deployment(Template), null, Ct);
        var renamed = Deployment(Template.Replace("\"QueueName\":\"jobs\"", "\"QueueName\":\"jobs-v2\"", StringComparison.Ordinal));
        var approval = new TaskCompletionSource();
        IReadOnlyList<ResourceChange>? asked = null;

        var deploying = Deployer().DeployAsync(renamed, (losses, _) => { asked = losses; return approval.Task; }, Ct);
        await Task.Delay(300, Ct);
        Assert.False(deploying.IsCompleted);
        Assert.Equal(1, _fake.CallsOf("ExecuteChangeSet"));
        approval.SetResult();

        Assert.Equal(StackDeploymentOutcome.Updated, (await deploying).Outcome);
        var loss = Assert.Single(asked!);
        Assert.Equal(("Jobs", "True"), (loss.LogicalResourceId, loss.Replacement));
        Assert.Contains(_log.Lines, l => l.Contains("Waiting for the Apply command", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FakeALossOfDataWithoutAWayToApproveItIsRefusedAndNothingRuns()
    {
        await Deployer().DeployAsync(Deployment(Template), null, Ct);

        var withoutTopic = System.Text.Json.Nodes.JsonNode.Parse(Template)!;
        withoutTopic["Resources"]!.AsObject().Remove("Topic");

        var error = await Assert.ThrowsAsync<StackDeploymentException>(() =>
            Deployer().DeployAsync(Deployment(withoutTopic.ToJsonString()), null, Ct));

        Assert.Contains("Topic (AWS::SNS::Topic, removed)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _fake.CallsOf("ExecuteChangeSet"));
        Assert.Equal(1, _fake.CallsOf("DeleteChangeSet"));
    }

    [Fact]
    public async Task FakeThrottledCallsAreRetriedWithBackOff()
    {
        _fake.Throttle(3);

        var result = await Deployer().DeployAsync(Deployment(Template), null, Ct);

        Assert.Equal(StackDeploymentOutcome.Created, result.Outcome);
    }

    [Fact]
    public async Task FakeThrottlingThatDoesNotStopEndsWithTheServicesError()
    {
        _fake.Throttle(100);
        var client = Client(maxThrottlingRetries: 2);

        var error = await Assert.ThrowsAsync<CloudFormationException>(() => client.DescribeStackAsync(Stack, Ct));

        Assert.Equal("Throttling", error.Code);
        Assert.Equal(3, _fake.CallsOf("DescribeStacks"));
    }

    [Fact]
    public async Task FakeTemplatesLargerThanCloudFormationTakesInlineGoThroughTheStagingBucket()
    {
        var large = Template.Replace("\"b1\"", $"\"b1\",\"Padding\":\"{new string('x', 52_000)}\"", StringComparison.Ordinal);
        string? staged = null;
        var deployer = Deployer(new StackDeployerOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(5),
            StageTemplateAsync = (stack, body, _) =>
            {
                staged = body;
                return Task.FromResult(new Uri($"https://staging.s3.amazonaws.com/{stack}.json"));
            },
        });

        await deployer.DeployAsync(Deployment(large), null, Ct);

        Assert.Equal(large, staged);
        Assert.Equal($"https://staging.s3.amazonaws.com/{Stack}.json", _fake.LastChangeSetRequest["TemplateURL"]);
        Assert.False(_fake.LastChangeSetRequest.ContainsKey("TemplateBody"));

        var error = await Assert.ThrowsAsync<StackDeploymentException>(() => Deployer().DeployAsync(Deployment(large + " "), null, Ct));
        Assert.Contains("no staging bucket is configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FakeGivesUpAfterTheTimeoutAndSaysWhatItSawLast()
    {
        _fake.Seed(Stack, "UPDATE_IN_PROGRESS", Template, stepsUntilSettled: 100_000);
        var deployer = Deployer(new StackDeployerOptions { PollInterval = TimeSpan.FromMilliseconds(5), Timeout = TimeSpan.FromMilliseconds(300) });

        var error = await Assert.ThrowsAsync<StackDeploymentException>(() => deployer.DeployAsync(Deployment(Template), null, Ct));

        Assert.Contains("was still UPDATE_IN_PROGRESS after", error.Message, StringComparison.Ordinal);
        Assert.Contains("gave up waiting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FakeDeletingAStackFollowsItUntilItIsGone()
    {
        await Deployer().DeployAsync(Deployment(Template), null, Ct);

        await Deployer().DeleteAsync(Stack, Ct);

        Assert.Equal("DELETE_COMPLETE", _fake.StatusOf(Stack));
        Assert.Null(await Client().DescribeStackAsync(Stack, Ct));
        Assert.Contains(_log.Lines, l => l.Contains($"{Stack} is deleted", StringComparison.Ordinal));
        await Deployer().DeleteAsync(Stack, Ct);
        Assert.Contains(_log.Lines, l => l.Contains("does not exist; nothing to delete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FakeADeleteThatFailsSaysWhy()
    {
        await Deployer().DeployAsync(Deployment(Template), null, Ct);
        _fake.DeleteFailure = "The bucket you tried to delete is not empty";

        var error = await Assert.ThrowsAsync<StackDeploymentException>(() => Deployer().DeleteAsync(Stack, Ct));

        Assert.Contains("ended DELETE_FAILED", error.Message, StringComparison.Ordinal);
        Assert.Contains("The bucket you tried to delete is not empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FakeDriftDetectionListsTheResourcesThatDrifted()
    {
        await Deployer().DeployAsync(Deployment(Template), null, Ct);
        Assert.Empty(await Deployer().DetectDriftAsync(Stack, Ct));

        _fake.DriftedResources.Add("Jobs");
        var drift = Assert.Single(await Deployer().DetectDriftAsync(Stack, Ct));

        Assert.Equal(("Jobs", "AWS::SQS::Queue", "MODIFIED"), (drift.LogicalResourceId, drift.ResourceType, drift.DriftStatus));
        Assert.Equal("/VisibilityTimeout: expected 60, actual 30 (NOT_EQUAL)", Assert.Single(drift.Differences));
    }

    [Fact]
    public async Task FakeParametersAndTagsAreSentAsTheQueryProtocolWritesLists()
    {
        var deployment = Deployment(Template) with
        {
            Parameters = [new("WebOrigin", "https://media.example.com"), new("ExistingConnectionString", null, UsePreviousValue: true)],
        };

        await Deployer().DeployAsync(deployment, null, Ct);

        var form = _fake.LastChangeSetRequest;
        Assert.Equal(("WebOrigin", "https://media.example.com"), (form["Parameters.member.1.ParameterKey"], form["Parameters.member.1.ParameterValue"]));
        Assert.Equal(("ExistingConnectionString", "true"), (form["Parameters.member.2.ParameterKey"], form["Parameters.member.2.UsePreviousValue"]));
        Assert.Contains(form, f => f.Key.StartsWith("Tags.member.", StringComparison.Ordinal) && f.Value == StackDeployment.InputsTag);
        Assert.Equal("CAPABILITY_IAM", form["Capabilities.member.1"]);
    }

    private static StackDeployment Deployment(string template) =>
        new(Stack, template, [], new Dictionary<string, string> { ["desirable:stage"] = "alice" });

    private CloudFormationClient Client(int maxThrottlingRetries = 6) => new(new HttpClient(), new AwsQueryClientOptions
    {
        ServiceUrl = _fake.Url,
        Region = "us-east-1",
        Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
        MaxThrottlingRetries = maxThrottlingRetries,
    });

    private StackDeployer Deployer(StackDeployerOptions? options = null) =>
        new(Client(), options ?? new StackDeployerOptions { PollInterval = TimeSpan.FromMilliseconds(5) }, _log);

    /// <summary>Keeps what the deployer logs, as the dashboard's resource log would show it.</summary>
    private sealed class LogLines : ILogger
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public IEnumerable<string> Lines => _lines;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue(formatter(state, exception));
    }
}
