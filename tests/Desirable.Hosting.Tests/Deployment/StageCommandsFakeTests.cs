using Amazon.Runtime;
using Desirable.Aws.CloudFormation;
using Desirable.Aws.Query;
using Desirable.Hosting.Aws.Deployment;
using Desirable.Hosting.Aws.Stacks;
using Desirable.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Desirable.Hosting.Tests.Deployment;

/// <summary>The stage's real synthesized templates, once for the class (Node runs the CDK app).</summary>
public sealed class SynthesizedStageFixture : IAsyncLifetime
{
    public static readonly StageName Stage = StageName.Parse("alice");

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("desirable-stage-");

    public IReadOnlyList<StackToDeploy> Stacks { get; private set; } = [];

    public async ValueTask InitializeAsync() =>
        Stacks = StageCommands.Read(await StackTemplates.SynthesizeAsync(Stage, disposable: false, _directory.FullName, CancellationToken.None), Stage);

    public ValueTask DisposeAsync()
    {
        _directory.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// diff, deploy and remove of a whole stage (its six real templates) against <see cref="FakeCloudFormation"/>, a test
/// double of CloudFormation's Query endpoint, since no AWS endpoint is reachable here: the plan is shown before anything
/// changes, nothing happens without a yes, stacks go in order and come out in reverse, a failure names its resource,
/// and a second remove has nothing to do.
/// </summary>
public sealed class StageCommandsFakeTests(SynthesizedStageFixture stage) : IClassFixture<SynthesizedStageFixture>, IAsyncLifetime
{
    private FakeCloudFormation _fake = null!;
    private FakeEcr _ecr = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IReadOnlyDictionary<string, string> Values => StageInputs.From(Configuration(), StageCommands.StackOrder).Values;

    /// <summary>The values without image digests: the deployment builds the images.</summary>
    private static IReadOnlyDictionary<string, string> ValuesWithoutImages =>
        Values.Where(v => !v.Key.EndsWith("ImageDigest", StringComparison.Ordinal)).ToDictionary();

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeCloudFormation.StartAsync();
        _ecr = await FakeEcr.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _fake.DisposeAsync();
        await _ecr.DisposeAsync();
    }

    [Fact]
    public async Task FakeDiffOfANewStageSaysTheApiStackWaitsForTheImagesAndBuildsNothing()
    {
        var builds = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.ProcessStartInfo>();

        var plan = await Commands(Images(builds, "t1")).DiffAsync(stage.Stacks, stage.Stacks, ValuesWithoutImages, Ct);

        Assert.Contains("desirable-alice-api         planned after desirable-alice-media, desirable-alice-database, the images (t1) (",
            plan.Describe(), StringComparison.Ordinal);
        Assert.Empty(builds);
    }

    [Fact]
    public async Task FakeAFirstDeployBuildsTheImagesRightAfterTheRegistryAndTheApiStackRunsTheirDigests()
    {
        var builds = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.ProcessStartInfo>();
        var registryAtBuild = new List<string?>();
        var images = Images(builds, "t1", () =>
        {
            registryAtBuild.Add(_fake.StatusOf("desirable-alice-registry"));
            registryAtBuild.Add(_fake.StatusOf("desirable-alice-api"));
        });

        var result = await Commands(images).DeployAsync(stage.Stacks, stage.Stacks, ValuesWithoutImages, (_, _) => Task.FromResult(true), Ct);

        Assert.Equal(StageDeployOutcome.Applied, result.Outcome);
        Assert.Equal(3, builds.Count);
        Assert.Equal("CREATE_COMPLETE", registryAtBuild[0]);
        Assert.Null(registryAtBuild[1]);
        var api = await Client().DescribeStackAsync("desirable-alice-api", Ct);
        Assert.NotNull(api);
        Assert.Equal(ServiceImagesTests.Digest('d'), _fake.ParametersOf("desirable-alice-api")["MediaImageDigest"]);
    }

    [Fact]
    public async Task FakeARedeployWithTheRegistryInPlaceBuildsTheNewImagesBeforeThePlanSoThePlanShowsThem()
    {
        var first = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.ProcessStartInfo>();
        await Commands(Images(first, "t1")).DeployAsync(stage.Stacks, stage.Stacks, ValuesWithoutImages, (_, _) => Task.FromResult(true), Ct);
        var second = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.ProcessStartInfo>();
        var builtBeforeTheQuestion = -1;
        StagePlan? shown = null;

        await Commands(Images(second, "t2")).DeployAsync(stage.Stacks, stage.Stacks, ValuesWithoutImages, (plan, _) =>
        {
            builtBeforeTheQuestion = second.Count;
            shown = plan;
            return Task.FromResult(true);
        }, Ct);

        Assert.Equal(3, builtBeforeTheQuestion);
        var api = shown!.Steps.Single(s => s.Stack.StackName == "desirable-alice-api");
        Assert.Equal(StackPlanKind.Update, api.Plan?.Kind);
    }

    [Fact]
    public async Task FakeDiffOfANewStageShowsEveryStackInOrderAndChangesNothing()
    {
        var plan = await Commands().DiffAsync(stage.Stacks, stage.Stacks, Values, Ct);

        Assert.Equal(StageCommands.StackOrder.Select(s => SynthesizedStageFixture.Stage.StackName(s)), plan.Steps.Select(s => s.Stack.StackName));
        var text = plan.Describe();
        Assert.Contains("desirable-alice-media       create:", text, StringComparison.Ordinal);
        Assert.Contains("desirable-alice-monitoring  create after desirable-alice-api", text, StringComparison.Ordinal);
        Assert.Contains("desirable-alice-web         create after desirable-alice-edge, desirable-alice-api", text, StringComparison.Ordinal);
        Assert.Equal(0, _fake.CallsOf("ExecuteChangeSet"));
        Assert.Empty(await ExistingAsync());
    }

    [Fact]
    public async Task FakeDeployAsksFirstAndChangesNothingWhenTheAnswerIsNo()
    {
        StagePlan? shown = null;
        var result = await Commands().DeployAsync(stage.Stacks, stage.Stacks, Values, (plan, _) =>
        {
            shown = plan;
            return Task.FromResult(false);
        }, Ct);

        Assert.Equal(StageDeployOutcome.Declined, result.Outcome);
        Assert.NotNull(shown);
        Assert.Equal(0, _fake.CallsOf("ExecuteChangeSet"));
        Assert.Empty(await ExistingAsync());
    }

    [Fact]
    public async Task FakeDeployAppliesEveryStackInOrderPrintsTheSiteFirstAndASecondDeployHasNothingToDo()
    {
        var result = await Commands().DeployAsync(stage.Stacks, stage.Stacks, Values, (_, _) => Task.FromResult(true), Ct);

        Assert.Equal(StageDeployOutcome.Applied, result.Outcome);
        Assert.Equal(stage.Stacks.Select(s => s.StackName), result.Stacks.Select(r => r.Stack.StackName));
        Assert.All(stage.Stacks, s => Assert.Equal("CREATE_COMPLETE", _fake.StatusOf(s.StackName)));
        Assert.Equal(WebOutputs.SiteUrl, result.Outputs[0].Key);
        // The Monitoring stack got the Api stack's outputs by name.
        Assert.Equal("desirable-alice-api-ClusterName-value", _fake.ParametersOf("desirable-alice-monitoring")[ApiOutputs.ClusterName]);

        var again = await Commands().DeployAsync(stage.Stacks, stage.Stacks, Values, (_, _) => throw new InvalidOperationException("Nothing to ask about."), Ct);
        Assert.Equal(StageDeployOutcome.NothingToDo, again.Outcome);
    }

    [Fact]
    public async Task FakeTheEdgeStackGoesToUsEast1AndTheWebClientToTheSitesBucketOnEveryDeploy()
    {
        Assert.Equal("us-east-1", Assert.Single(stage.Stacks, s => s.StackName == "desirable-alice-edge").Region);
        Assert.All(stage.Stacks.Where(s => s.StackName != "desirable-alice-edge"), s => Assert.Null(s.Region));

        var result = await Commands().DeployAsync(stage.Stacks, stage.Stacks, Values, (_, _) => Task.FromResult(true), Ct);

        Assert.Contains("us-east-1", _regions);
        Assert.Equal(WebOutputs.SiteUrl, result.Outputs[0].Key);
        Assert.Equal(7, result.SiteFiles);
        Assert.Equal("default-src 'self'", _fake.ParametersOf("desirable-alice-web")[WebStack.ContentSecurityPolicyParameter]);
        Assert.Equal("desirable-alice-edge-WebAclArn-value", _fake.ParametersOf("desirable-alice-web")[EdgeOutputs.WebAclArn]);

        // Nothing changed in the stacks, but a new client is written all the same.
        var again = await Commands().DeployAsync(stage.Stacks, stage.Stacks, Values, (_, _) => throw new InvalidOperationException("Nothing to ask about."), Ct);
        Assert.Equal(StageDeployOutcome.NothingToDo, again.Outcome);
        Assert.Equal(["desirable-alice-web-WebBucketName-value", "desirable-alice-web-WebBucketName-value"], _siteWrites);
    }

    [Fact]
    public async Task FakeOneStackTakesTheOtherStacksOutputsAsDeployed()
    {
        await Commands().DeployAsync(stage.Stacks, stage.Stacks, Values, (_, _) => Task.FromResult(true), Ct);
        var changed = new Dictionary<string, string>(Values) { ["AlarmEmail"] = "ops@example.com" };
        var monitoring = StageCommands.Select(stage.Stacks, SynthesizedStageFixture.Stage, "Monitoring");

        var result = await Commands().DeployAsync(stage.Stacks, monitoring, changed, (_, _) => Task.FromResult(true), Ct);

        Assert.Equal(StageDeployOutcome.Applied, result.Outcome);
        var applied = Assert.Single(result.Stacks);
        Assert.Equal("desirable-alice-monitoring", applied.Stack.StackName);
        Assert.Equal(StackDeploymentOutcome.Updated, applied.Outcome);
        Assert.Equal("ops@example.com", Parameter(_fake.LastChangeSetRequest, "AlarmEmail"));
        Assert.Equal("desirable-alice-api-ClusterName-value", Parameter(_fake.LastChangeSetRequest, ApiOutputs.ClusterName));
    }

    [Fact]
    public void AStackThatIsNotOneOfTheStagesIsRefusedWithTheirNames()
    {
        var failure = Assert.Throws<StackDeploymentException>(() => StageCommands.Select(stage.Stacks, SynthesizedStageFixture.Stage, "Frontend"));
        Assert.Equal("There is no stack \"Frontend\"; a stage has Media, Database, Auth, Registry, Api, Monitoring, Edge, Web.", failure.Message);
    }

    [Fact]
    public async Task FakeAFailingResourceStopsTheDeployWithItsReasonAndTheStacksAfterItAreNotCreated()
    {
        _fake.FailingResources["ClusterEB0386A7"] = "Resource handler returned message: \"The service quota for clusters is reached\"";

        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            Commands().DeployAsync(stage.Stacks, stage.Stacks, Values, (_, _) => Task.FromResult(true), Ct));

        Assert.Contains("service quota for clusters", failure.Message, StringComparison.Ordinal);
        Assert.Equal("CREATE_COMPLETE", _fake.StatusOf("desirable-alice-registry"));
        Assert.DoesNotContain("desirable-alice-monitoring", await ExistingAsync());
    }

    [Fact]
    public async Task FakeRemoveDeletesInReverseOrderListsWhatItKeepsAndASecondRemoveHasNothingToDo()
    {
        await Commands().DeployAsync(stage.Stacks, stage.Stacks, Values, (_, _) => Task.FromResult(true), Ct);
        IReadOnlyList<string> asked = [];

        var result = await Commands().RemoveAsync(stage.Stacks, (existing, _) =>
        {
            asked = existing;
            return Task.FromResult(true);
        }, Ct);

        Assert.Equal(StageRemoveOutcome.Removed, result.Outcome);
        Assert.Equal(stage.Stacks.Reverse().Select(s => s.StackName), result.Removed);
        Assert.Equal(result.Removed, asked);
        Assert.Contains(result.Retained, r => r.Contains("aws s3 rb s3://desirable-alice-media-MediaBucketName-value --force", StringComparison.Ordinal));
        Assert.Equal([("desirable-alice-web-WebBucketName-value", true)], _siteEmptied);
        // The fake gives every output, conditional or not: as if the Database stack had made an Atlas cluster.
        Assert.Contains(result.Retained, r => r.StartsWith("The Atlas cluster desirable-alice-database-AtlasClusterName-value", StringComparison.Ordinal));
        Assert.Contains(result.Retained, r => r.EndsWith(
            "aws kms schedule-key-deletion --key-id desirable-alice-media-StageKeyArn-value --pending-window-in-days 7", StringComparison.Ordinal));
        // ECR, not the Registry stack, made the collector's cached repository.
        Assert.Contains(result.Retained, r => r.Contains(
            "aws ecr delete-repository --repository-name desirable-alice-registry-PublicImageCachePrefix-value/aws-observability/aws-otel-collector --force", StringComparison.Ordinal));
        Assert.Empty(await ExistingAsync());

        var again = await Commands().RemoveAsync(stage.Stacks, (_, _) => throw new InvalidOperationException("Nothing to ask about."), Ct);
        Assert.Equal(StageRemoveOutcome.NothingToDo, again.Outcome);
    }

    [Fact]
    public async Task FakeRemoveChangesNothingWhenTheAnswerIsNo()
    {
        await Commands().DeployAsync(stage.Stacks, stage.Stacks, Values, (_, _) => Task.FromResult(true), Ct);

        var result = await Commands().RemoveAsync(stage.Stacks, (_, _) => Task.FromResult(false), Ct);

        Assert.Equal(StageRemoveOutcome.Declined, result.Outcome);
        Assert.All(stage.Stacks, s => Assert.Equal("CREATE_COMPLETE", _fake.StatusOf(s.StackName)));
    }

    private async Task<IReadOnlyList<string>> ExistingAsync()
    {
        var existing = new List<string>();
        foreach (var stack in stage.Stacks)
        {
            if (await Client().DescribeStackAsync(stack.StackName, Ct) is not null)
            {
                existing.Add(stack.StackName);
            }
        }

        return existing;
    }

    private CloudFormationClient Client() => new(new HttpClient(), new AwsQueryClientOptions
    {
        ServiceUrl = _fake.Url,
        Region = "us-east-1",
        Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
    });

    /// <summary>Buckets the web client was written to (the writing itself is <see cref="StageSiteTests"/>', on the real emulator).</summary>
    private readonly List<string> _siteWrites = [];

    /// <summary>Site buckets emptied, and whether the Web stack still stood then.</summary>
    private readonly List<(string Bucket, bool StackStanding)> _siteEmptied = [];

    /// <summary>The regions a CloudFormation client was asked for (null: the stage's).</summary>
    private readonly List<string?> _regions = [];

    private StageCommands Commands(StageImages? images = null) => new(
        region =>
        {
            _regions.Add(region);
            return Client();
        },
        new StackDeployerOptions { PollInterval = TimeSpan.FromMilliseconds(5), StageTemplateAsync = _fake.StageTemplateAsync },
        NullLogger.Instance,
        images,
        new StageWeb("default-src 'self'", (bucket, _) =>
        {
            _siteWrites.Add(bucket);
            return Task.FromResult(7);
        }, async (bucket, cancellationToken) =>
        {
            // Emptied while the Web stack still stands, before CloudFormation is asked to delete the bucket with it.
            _siteEmptied.Add((bucket, await Client().DescribeStackAsync("desirable-alice-web", cancellationToken) is not null));
            return 7;
        }));

    /// <summary>The three services' images, built by a stand-in that pushes into the ECR fake (see <see cref="ServiceImagesTests"/>).</summary>
    private StageImages Images(System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.ProcessStartInfo> builds, string tag, Action? onBuild = null)
    {
        var push = ServiceImagesTests.StandInPush(builds, ServiceImagesTests.Digest(tag == "t1" ? 'd' : 'e'), _ecr);
        return new StageImages(
            new ServiceImages(ServiceImagesTests.Ecr(_ecr), (command, cancellationToken) =>
            {
                onBuild?.Invoke();
                return push(command, cancellationToken);
            }, NullLogger.Instance),
            [.. RegistryStack.Services.Select(service => new ServiceImage(service, $"/src/{service}.csproj"))],
            SynthesizedStageFixture.Stage,
            tag);
    }

    private static string? Parameter(IReadOnlyDictionary<string, string> request, string key)
    {
        var member = request.FirstOrDefault(p => p.Key.EndsWith(".ParameterKey", StringComparison.Ordinal) && p.Value == key).Key;
        return member is null ? null : request.GetValueOrDefault(member.Replace(".ParameterKey", ".ParameterValue", StringComparison.Ordinal));
    }

    private static IConfiguration Configuration() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Parameters:auth0-domain"] = "desirable.eu.auth0.com",
        ["Parameters:auth0-audience"] = "https://api.desirable.example",
        ["Parameters:auth0-client-id"] = "spa-client",
        ["Parameters:mongo-connection-string"] = "mongodb+srv://u:p@cluster0.example.mongodb.net/desirable",
        ["Parameters:gateway-image-digest"] = "sha256:" + new string('1', 64),
        ["Parameters:media-image-digest"] = "sha256:" + new string('2', 64),
        ["Parameters:processor-image-digest"] = "sha256:" + new string('3', 64),
    }).Build();
}
