using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Desirable.Testing;
using static Desirable.AppHost.Tests.AppModel;

namespace Desirable.AppHost.Tests;

/// <summary>The AppHost's model in embedded mode, built but not started: resources, wiring and configuration.</summary>
public class EmbeddedAppModelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EmbeddedModeHasTheEmulatorTheCatalogAndTheThreeServices()
    {
        await using var builder = await CreateBuilderAsync();

        var names = builder.Resources.Select(r => r.Name).ToHashSet();

        Assert.Superset(new HashSet<string> { "mode", "aws", "aws-install", "aws-media", "catalog", "media", "processor", "web", "gateway" }, names);
        Assert.IsType<FauxqsResource>(Resource(builder, "aws"));
        Assert.IsType<SqliteCatalogResource>(Resource(builder, "catalog"));
    }

    [Fact]
    public async Task TheEmulatorPersistsUnderTheDataDirectory()
    {
        using var folder = new TemporaryDirectory("desirable-model-");
        var data = folder.Path;
        await using var builder = await CreateBuilderAsync($"--Desirable:DataDirectory={data}");
        var aws = (FauxqsResource)Resource(builder, "aws");

        Assert.Contains(aws.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
        var environment = await EnvironmentOf(aws);
        Assert.Equal(Path.Combine(data, "aws", "state"), environment["FAUXQS_DATA_DIR"]);
        Assert.Equal(Path.Combine(data, "aws", "s3"), environment["FAUXQS_S3_STORAGE_DIR"]);
        Assert.Contains(aws.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "aws-install" && w.WaitType == WaitType.WaitForCompletion);
    }

    [Fact]
    public async Task TheCatalogIsASqliteFileUnderTheDataDirectory()
    {
        using var folder = new TemporaryDirectory("desirable-model-");
        var data = folder.Path;
        await using var builder = await CreateBuilderAsync($"--Desirable:DataDirectory={data}");
        var catalog = (SqliteCatalogResource)Resource(builder, "catalog");

        var connectionString = await catalog.ConnectionStringExpression.GetValueAsync(Ct);

        Assert.Equal($"Data Source={Path.Combine(data, "catalog", "catalog.db")}", connectionString);
    }

    [Fact]
    public async Task TheMediaServiceGetsStandardAwsSettingsTheCatalogAndTheLimit()
    {
        await using var builder = await CreateBuilderAsync("--Desirable:Uploads:MaxFileSizeBytes=12345");
        var media = Resource(builder, "media");

        var environment = await EnvironmentOf(media);

        Assert.StartsWith("{aws.bindings.http.url}", environment["AWS_ENDPOINT_URL"], StringComparison.Ordinal);
        Assert.Equal("us-east-1", environment["AWS_REGION"]);
        Assert.Equal("test", environment["AWS_ACCESS_KEY_ID"]);
        Assert.Equal("test", environment["AWS_SECRET_ACCESS_KEY"]);
        Assert.Equal("{aws-media.outputs.MediaBucketName}", environment["Storage__BucketName"]);
        Assert.Equal("{catalog.connectionString}", environment["ConnectionStrings__catalog"]);
        Assert.Equal("12345", environment["Uploads__MaxFileSizeBytes"]);
        Assert.Equal(["aws", "aws-media", "catalog", "identity"], WaitsOf(media));
    }

    [Fact]
    public async Task TheGatewayFrontsTheMediaServiceAndTheWebAppWithTheSameLimit()
    {
        await using var builder = await CreateBuilderAsync("--Desirable:Uploads:MaxFileSizeBytes=12345");
        var gateway = Resource(builder, "gateway");

        var environment = await EnvironmentOf(gateway);

        Assert.Contains("services__media__http__0", environment.Keys);
        Assert.Contains("services__web__http__0", environment.Keys);
        Assert.Equal("12345", environment["Uploads__MaxFileSizeBytes"]);
        Assert.Equal(["identity", "media", "web"], WaitsOf(gateway));
        Assert.All(((IResourceWithEndpoints)gateway).GetEndpoints(), e => Assert.True(e.EndpointAnnotation.IsExternal));
    }

    [Fact]
    public async Task EveryServiceHasAnHttpHealthCheck()
    {
        await using var builder = await CreateBuilderAsync();

        foreach (var name in new[] { "aws", "media", "processor", "web", "gateway" })
        {
            Assert.True(Resource(builder, name).Annotations.OfType<HealthCheckAnnotation>().Any(), $"{name} has no health check");
        }
    }

    [Fact]
    public async Task TheEmulatorGetsTheMediaStackOfTheLocalStageAppliedThroughItsApis()
    {
        await using var builder = await CreateBuilderAsync();
        var stack = (AwsStackResource)Resource(builder, "aws-media");

        Assert.Equal("desirable-local-media", stack.StackName);
        Assert.False(stack.Target.HasCloudFormation);
        Assert.Equal(["aws"], WaitsOf(stack));
        Assert.Contains(stack.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Type == "Parent" && r.Resource.Name == "aws");
        // The template the build synthesized for the stage "local": the same one the CDK tests check.
        var template = System.Text.Json.Nodes.JsonNode.Parse(await stack.Template(Ct))!;
        Assert.Contains(template["Resources"]!.AsObject(), r => (string?)r.Value!["Properties"]?["QueueName"] == "desirable-local-media-processing");
        // Only what makes sense without CloudFormation.
        var commands = stack.Annotations.OfType<ResourceCommandAnnotation>().Select(c => c.Name).Order().ToArray();
        Assert.Equal([AwsStackBuilderExtensions.ApplyCommand, AwsStackBuilderExtensions.ReprovisionCommand], commands);
    }

    [Fact]
    public async Task ServicesGetEveryOutputOfTheMediaStackAsAwsResources()
    {
        await using var builder = await CreateBuilderAsync();
        var media = await EnvironmentOf(Resource(builder, "media"));

        foreach (var key in ((AwsStackResource)Resource(builder, "aws-media")).OutputKeys)
        {
            Assert.Equal($"{{aws-media.outputs.{key}}}", media[$"AWS__Resources__{key}"]);
        }

        Assert.Equal(14, media.Keys.Count(k => k.StartsWith("AWS__Resources__", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheApiEnqueuesAndTheProcessorConsumesWithTheSameSettings()
    {
        await using var builder = await CreateBuilderAsync();
        var media = await EnvironmentOf(Resource(builder, "media"));
        var processor = await EnvironmentOf(Resource(builder, "processor"));

        // Two projects now: nothing switches a worker on or off.
        Assert.DoesNotContain("Processing__WorkerEnabled", media.Keys);
        Assert.DoesNotContain("Processing__WorkerEnabled", processor.Keys);
        foreach (var key in new[] { "Processing__QueueName", "Storage__BucketName", "ConnectionStrings__catalog", "AWS_ENDPOINT_URL" })
        {
            Assert.Equal(media[key], processor[key]);
        }

        Assert.Equal("{aws-media.outputs.JobQueueName}", media["Processing__QueueName"]);
        Assert.Equal("{aws-media.outputs.EventsTopicArn}", processor["Processing__EventsTopicArn"]);
        Assert.Equal("{aws-media.outputs.DeadLetterQueueName}", processor["Processing__DeadLetterQueueName"]);
        Assert.Equal(("10", "00:01:00"), (processor["Processing__MaxAttempts"], processor["Processing__VisibilityTimeout"]));
        Assert.Equal(["aws", "aws-media", "catalog", "media"], WaitsOf(Resource(builder, "processor")));
    }

    [Fact]
    public async Task OnlyTheProcessorTakesTheRedriveCommandWithAKeyOfThisRun()
    {
        await using var builder = await CreateBuilderAsync();
        var processor = Resource(builder, "processor");

        Assert.Contains(processor.Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == ProcessorCommandExtensions.RedriveCommand);
        Assert.Matches("^[0-9a-f]{64}$", (await EnvironmentOf(processor))[Desirable.Contracts.ProcessorCommands.KeyVariable]);
        Assert.DoesNotContain(Desirable.Contracts.ProcessorCommands.KeyVariable, (await EnvironmentOf(Resource(builder, "media"))).Keys);
    }

    [Fact]
    public async Task TheProcessorIsItsOwnProjectAndServesNoApi()
    {
        await using var builder = await CreateBuilderAsync();
        var processor = Resource(builder, "processor");

        Assert.EndsWith("Desirable.MediaProcessor.csproj", ((ProjectResource)processor).GetProjectMetadata().ProjectPath, StringComparison.Ordinal);
        // It validates no tokens, because it takes no requests but health probes.
        Assert.DoesNotContain("Identity__Authority", (await EnvironmentOf(processor)).Keys);
    }

    [Fact]
    public async Task TheModeResourceSaysWhichModeRunsAndWhy()
    {
        await using var builder = await CreateBuilderAsync("--Desirable:Mode=embedded");
        var mode = Resource(builder, "mode");

        var snapshot = mode.Annotations.OfType<ResourceSnapshotAnnotation>().Single().InitialSnapshot;

        Assert.Equal("Embedded", snapshot.State?.Text);
        Assert.Contains(snapshot.Properties, p => p.Name == "desirable.mode.reason" && (string?)p.Value == "Desirable:Mode=embedded");
    }

    private static Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(params string[] args) =>
        AppModel.CreateBuilderAsync("embedded", args);
}
