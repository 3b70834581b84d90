using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Desirable.Hosting.Modes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using static Desirable.AppHost.Tests.AppModel;

namespace Desirable.AppHost.Tests;

/// <summary>
/// The AppHost's model in containers mode, built but not started (no container can run here): MongoDB and an AWS
/// emulator container take the places of SQLite and fauxqs, and the services are wired exactly as in embedded mode.
/// </summary>
public class ContainersAppModelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ContainersModeHasMongoACatalogDatabaseFlociAndTheThreeServices()
    {
        await using var builder = await CreateBuilderAsync("containers");

        var names = builder.Resources.Select(r => r.Name).ToHashSet();

        Assert.Superset(new HashSet<string> { "mode", "floci", "mongo", "catalog", "media", "processor", "web", "gateway" }, names);
        Assert.DoesNotContain("aws-install", names);
        Assert.DoesNotContain("localstack", names);
        var aws = Assert.IsType<AwsEmulatorContainerResource>(Resource(builder, "floci"));
        Assert.Equal(AwsEmulatorImage.Floci, aws.Image);
        Assert.IsType<MongoDBServerResource>(Resource(builder, "mongo"));
        var catalog = Assert.IsType<MongoDBDatabaseResource>(Resource(builder, "catalog"));
        Assert.Equal("mongo", catalog.Parent.Name);
        Assert.Equal("desirable", catalog.DatabaseName);
    }

    [Fact]
    public async Task MongoIsAPinnedPersistentContainerWithAVolumeAndAGeneratedSecretPassword()
    {
        await using var builder = await CreateBuilderAsync("containers");
        var mongo = (MongoDBServerResource)Resource(builder, "mongo");

        var image = mongo.Annotations.OfType<ContainerImageAnnotation>().Single();
        Assert.Equal(("docker.io", "library/mongo", "8.0"), (image.Registry, image.Image, image.Tag));
        Assert.Equal(ContainerLifetime.Persistent, mongo.Annotations.OfType<ContainerLifetimeAnnotation>().Single().Lifetime);
        var volume = Assert.Single(mongo.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal(("/data/db", ContainerMountType.Volume), (volume.Target, volume.Type));
        Assert.EndsWith("mongo-data", volume.Source, StringComparison.Ordinal);
        var endpoint = Assert.Single(mongo.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(("tcp", 27017), (endpoint.Name, endpoint.TargetPort));

        var environment = await EnvironmentOf(mongo);
        Assert.Equal("admin", environment["MONGO_INITDB_ROOT_USERNAME"]);
        Assert.Equal("{mongo-password.value}", environment["MONGO_INITDB_ROOT_PASSWORD"]);
        Assert.True(mongo.PasswordParameter.Secret);
    }

    [Fact]
    public async Task TheCatalogConnectionStringNamesTheDatabaseAndAuthenticatesAgainstAdmin()
    {
        await using var builder = await CreateBuilderAsync("containers");
        var catalog = (MongoDBDatabaseResource)Resource(builder, "catalog");
        var mongo = (MongoDBServerResource)Resource(builder, "mongo");

        Assert.Equal(
            "mongodb://admin:{mongo-password.value}@{mongo.bindings.tcp.host}:{mongo.bindings.tcp.port}/desirable?authSource=admin&authMechanism=SCRAM-SHA-256",
            catalog.ConnectionStringExpression.ValueExpression);
        Assert.Equal(
            "mongodb://admin:{mongo-password.value}@{mongo.bindings.tcp.host}:{mongo.bindings.tcp.port}/?authSource=admin&authMechanism=SCRAM-SHA-256",
            mongo.ConnectionStringExpression.ValueExpression);
        Assert.Equal("desirable", mongo.Databases["catalog"]);
    }

    [Fact]
    public async Task APasswordOfOwnChoiceReachesTheServicesEscapedAsAUriPart()
    {
        await using var builder = await CreateBuilderAsync("containers", "--Parameters:mongo-password=p@ss:w/rd?#%");
        var mongo = (MongoDBServerResource)Resource(builder, "mongo");
        var endpoint = mongo.Annotations.OfType<EndpointAnnotation>().Single();
        endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", 27017);

        var connectionString = await ((MongoDBDatabaseResource)Resource(builder, "catalog")).ConnectionStringExpression.GetValueAsync(Ct);

        Assert.Equal("mongodb://admin:p%40ss%3Aw%2Frd%3F%23%25@localhost:27017/desirable?authSource=admin&authMechanism=SCRAM-SHA-256", connectionString);
    }

    [Fact]
    public async Task FlociIsAPinnedPersistentContainerThatKeepsItsStateAndGetsTheMediaStackThroughCloudFormation()
    {
        await using var builder = await CreateBuilderAsync("containers");
        var aws = (AwsEmulatorContainerResource)Resource(builder, "floci");

        var image = aws.Annotations.OfType<ContainerImageAnnotation>().Single();
        Assert.Equal(("docker.io", "floci/floci", "1.5.11"), (image.Registry, image.Image, image.Tag));
        Assert.Equal(ContainerLifetime.Persistent, aws.Annotations.OfType<ContainerLifetimeAnnotation>().Single().Lifetime);
        var volume = Assert.Single(aws.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal("/app/data", volume.Target);
        Assert.EndsWith("-floci-data", volume.Source, StringComparison.Ordinal);
        var endpoint = Assert.Single(aws.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(("http", 4566), (endpoint.Name, endpoint.TargetPort));
        var environment = await EnvironmentOf(aws);
        Assert.Equal("hybrid", environment["FLOCI_STORAGE_MODE"]);
        Assert.Equal("/app/data", environment["FLOCI_STORAGE_PERSISTENT_PATH"]);
        var stack = (AwsStackResource)Resource(builder, "aws-media");
        Assert.True(stack.Target.HasCloudFormation);
        Assert.Equal("desirable-local-media", stack.StackName);
        Assert.Equal(["floci"], WaitsOf(stack));
        // After a failure, the stacks can be provisioned again from the emulator, and services wait for that meanwhile.
        Assert.Contains(aws.Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == AwsStackBuilderExtensions.ProvisionStacksCommand);
        Assert.Equal(WaitBehavior.WaitOnResourceUnavailable,
            Resource(builder, "media").Annotations.OfType<WaitAnnotation>().Single(w => w.Resource == stack).WaitBehavior);
    }

    [Fact]
    public async Task LocalStackTakesItsAuthTokenFromASecretParameter()
    {
        await using var builder = await CreateBuilderAsync("containers", "--Desirable:AwsEmulator=localstack");
        var aws = (AwsEmulatorContainerResource)Resource(builder, "localstack");
        var token = (ParameterResource)Resource(builder, "localstack-auth-token");

        Assert.Equal(AwsEmulatorImage.LocalStack, aws.Image);
        var image = aws.Annotations.OfType<ContainerImageAnnotation>().Single();
        Assert.Equal(("localstack/localstack", "2026.08.3"), (image.Image, image.Tag));
        var environment = await EnvironmentOf(aws);
        Assert.Equal("{localstack-auth-token.value}", environment["LOCALSTACK_AUTH_TOKEN"]);
        Assert.Equal("1", environment["PERSISTENCE"]);
        var volume = Assert.Single(aws.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal("/var/lib/localstack", volume.Target);
        Assert.EndsWith("-localstack-data", volume.Source, StringComparison.Ordinal);
        Assert.True(token.Secret);
        Assert.Contains("Desirable:AwsEmulator=floci", token.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("floci")]
    [InlineData("localstack")]
    public async Task AConfiguredRegistryMirrorServesEveryImage(string emulator)
    {
        await using var builder = await CreateBuilderAsync("containers", $"--Desirable:AwsEmulator={emulator}", "--Desirable:ContainerRegistry=mirror.example.com:5000/dockerhub/");

        foreach (var name in new[] { "mongo", emulator })
        {
            var image = Resource(builder, name).Annotations.OfType<ContainerImageAnnotation>().Single();
            Assert.Equal("mirror.example.com:5000/dockerhub", image.Registry);
        }

        var mode = Resource(builder, "mode").Annotations.OfType<ResourceSnapshotAnnotation>().Single().InitialSnapshot;
        Assert.Contains(mode.Properties, p => p.Name == "desirable.container-registry" && (string?)p.Value == "mirror.example.com:5000/dockerhub");
    }

    [Fact]
    public async Task TheModeResourceNamesTheEmulator()
    {
        await using var builder = await CreateBuilderAsync("containers", "--Desirable:AwsEmulator=localstack");

        var snapshot = Resource(builder, "mode").Annotations.OfType<ResourceSnapshotAnnotation>().Single().InitialSnapshot;

        Assert.Equal("Containers", snapshot.State?.Text);
        Assert.Contains(snapshot.Properties, p => p.Name == "desirable.mode.reason" && (string?)p.Value == "Desirable:Mode=containers");
        Assert.Contains(snapshot.Properties, p => p.Name == "desirable.aws-emulator" && (string?)p.Value == "LocalStack");
        Assert.Contains(snapshot.Properties, p => p.Name == "desirable.container-runtime" && (string?)p.Value == "Docker Engine - Community 27.3.1");
    }

    [Fact]
    public async Task EveryInfrastructureResourceHasARegisteredHealthCheck()
    {
        await using var builder = await CreateBuilderAsync("containers");
        var registered = builder.Services.BuildServiceProvider()
            .GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name).ToHashSet();

        foreach (var name in new[] { "mongo", "catalog", "floci", "media", "processor", "web", "gateway" })
        {
            var checks = Resource(builder, name).Annotations.OfType<HealthCheckAnnotation>().Select(h => h.Key).ToList();
            Assert.True(checks.Count > 0, $"{name} has no health check");
            Assert.All(checks, key => Assert.Contains(key, registered));
        }
    }

    [Fact]
    public async Task TheMediaServiceIsWiredExactlyAsInEmbeddedMode()
    {
        await using var embedded = await CreateBuilderAsync("embedded");
        await using var containers = await CreateBuilderAsync("containers");

        foreach (var service in new[] { "media", "processor" })
        {
            var inEmbedded = await EnvironmentOf(Resource(embedded, service));
            var inContainers = await EnvironmentOf(Resource(containers, service));

            // Same settings under the same names, so the service cannot tell the modes apart.
            Assert.Equal(inEmbedded.Keys.Order(StringComparer.Ordinal), inContainers.Keys.Order(StringComparer.Ordinal));
            // Each emulator is a resource of its own name, so that their state never mixes.
            Assert.Equal(("{aws.bindings.http.url}", "{floci.bindings.http.url}"), (inEmbedded["AWS_ENDPOINT_URL"], inContainers["AWS_ENDPOINT_URL"]));
            foreach (var key in new[] { "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "Storage__ForcePathStyle", "Storage__BucketName", "ConnectionStrings__catalog", "Processing__QueueName" })
            {
                Assert.Equal(inEmbedded[key], inContainers[key]);
            }
        }

        Assert.Equal(
            (await EnvironmentOf(Resource(embedded, "processor")))["Processing__EventsTopicArn"],
            (await EnvironmentOf(Resource(containers, "processor")))["Processing__EventsTopicArn"]);

        // One description: both modes provision the same stack, from the same template.
        var (embeddedStack, containersStack) = ((AwsStackResource)Resource(embedded, "aws-media"), (AwsStackResource)Resource(containers, "aws-media"));
        Assert.Equal(embeddedStack.StackName, containersStack.StackName);
        Assert.Equal(await embeddedStack.Template(Ct), await containersStack.Template(Ct));

        // Waiting for a database also waits for its server, as with Aspire's own database resources.
        Assert.Equal(["aws", "aws-media", "catalog", "identity"], WaitsOf(Resource(embedded, "media")));
        Assert.Equal(["aws-media", "catalog", "floci", "identity", "mongo"], WaitsOf(Resource(containers, "media")));
    }

    [Fact]
    public async Task TheGatewayAndWebAppDoNotDependOnTheMode()
    {
        await using var embedded = await CreateBuilderAsync("embedded");
        await using var containers = await CreateBuilderAsync("containers");

        foreach (var name in new[] { "gateway", "web" })
        {
            Assert.Equal(await EnvironmentOf(Resource(embedded, name)), await EnvironmentOf(Resource(containers, name)));
        }
    }
}
