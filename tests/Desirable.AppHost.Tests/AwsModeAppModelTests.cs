using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Desirable.Hosting.Aws.Cloud;
using static Desirable.AppHost.Tests.AppModel;

namespace Desirable.AppHost.Tests;

/// <summary>The aws mode's model, built but not started: the account, the stage's stacks, parameters, waits, commands.</summary>
public class AwsModeAppModelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AwsModeHasTheAccountTheStagesStacksAndNoEmulator()
    {
        await using var builder = await CreateBuilderAsync("aws", "--Parameters:aws-stage=alice", "--Parameters:aws-profile=dev", "--Parameters:aws-region=eu-west-1");

        var account = Assert.IsType<AwsAccountResource>(Resource(builder, "aws"));
        Assert.Equal(("dev", "eu-west-1", "alice"), (account.Settings.Profile, account.Settings.Region, account.Settings.StageValue));
        Assert.Equal("desirable-alice-media", ((AwsStackResource)Resource(builder, "aws-media")).StackName);
        Assert.Equal("desirable-alice-database", ((AwsStackResource)Resource(builder, "aws-database")).StackName);
        Assert.IsType<CloudCatalogResource>(Resource(builder, "catalog"));
        Assert.DoesNotContain(builder.Resources, r => r.Name == "aws-install");
        var mode = Resource(builder, "mode").Annotations.OfType<ResourceSnapshotAnnotation>().Single().InitialSnapshot;
        Assert.Equal("Aws", mode.State?.Text);
    }

    [Fact]
    public async Task TheStageIsTheUsersNameUnlessGiven()
    {
        await using var builder = await CreateBuilderAsync("aws");

        var account = (AwsAccountResource)Resource(builder, "aws");

        Assert.Equal(Desirable.Infrastructure.StageName.ForUser(Environment.UserName).Value, account.Settings.StageValue);
        Assert.Null(account.Settings.StageError);
    }

    [Fact]
    public async Task AStageNameAwsRejectsIsShownOnTheAccountAndTheStacksFailWithIt()
    {
        await using var builder = await CreateBuilderAsync("aws", "--Parameters:aws-stage=Alice_Smith");

        var account = (AwsAccountResource)Resource(builder, "aws");
        var snapshot = account.Annotations.OfType<ResourceSnapshotAnnotation>().Single().InitialSnapshot;
        Assert.Equal(KnownResourceStates.FailedToStart, snapshot.State?.Text);
        Assert.Contains(snapshot.Properties, p => p.Name == "desirable.aws.error" && ((string)p.Value!).Contains("cannot be used in AWS resource names", StringComparison.Ordinal));
        var error = await Assert.ThrowsAsync<Desirable.Aws.CloudFormation.StackDeploymentException>(() => ((AwsStackResource)Resource(builder, "aws-media")).Template(Ct));
        Assert.Contains("Set the stage with --Parameters:aws-stage=<name>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServicesReachAwsWithTheProfileAndRegionAndStartOnlyAfterTheStacks()
    {
        await using var builder = await CreateBuilderAsync("aws", "--Parameters:aws-stage=alice", "--Parameters:aws-profile=dev", "--Parameters:aws-region=eu-west-1");

        foreach (var service in new[] { "media", "processor" })
        {
            var environment = await EnvironmentOf(Resource(builder, service));
            Assert.Equal(("dev", "eu-west-1"), (environment["AWS_PROFILE"], environment["AWS_REGION"]));
            Assert.DoesNotContain("AWS_ENDPOINT_URL", environment.Keys);
            Assert.DoesNotContain("AWS_ACCESS_KEY_ID", environment.Keys);
            Assert.DoesNotContain("Storage__ForcePathStyle", environment.Keys);
            Assert.Equal("{aws-media.outputs.MediaBucketName}", environment["Storage__BucketName"]);
            Assert.Equal("{aws-media.outputs.JobQueueUrl}", environment["AWS__Resources__JobQueueUrl"]);
            Assert.Equal("{catalog.connectionString}", environment["ConnectionStrings__catalog"]);
            Assert.Contains("aws-media", WaitsOf(Resource(builder, service)));
            Assert.Contains("catalog", WaitsOf(Resource(builder, service)));
        }

        Assert.Equal(["aws-database"], WaitsOf(Resource(builder, "catalog")));
    }

    [Fact]
    public async Task TheDatabaseStackTakesAnExistingConnectionStringAsASecretParameterByDefault()
    {
        await using var builder = await CreateBuilderAsync("aws", "--Parameters:aws-stage=alice");
        var database = (AwsStackResource)Resource(builder, "aws-database");

        var connectionString = Assert.IsType<ParameterResource>(database.Parameters["ExistingConnectionString"]);
        Assert.True(connectionString.Secret);
        Assert.Equal("mongo-connection-string", connectionString.Name);
        Assert.Equal("false", await database.Parameters["AtlasEnabled"].GetValueAsync(Ct));
        // The stage's key, from the Media stack, encrypts the secret.
        Assert.Equal("{aws-media.outputs.StageKeyArn}", ((IManifestExpressionProvider)database.Parameters["StageKeyArn"]).ValueExpression);
    }

    [Fact]
    public async Task WithAtlasTheDatabaseStackAsksForTheOrganizationAndAddresses()
    {
        await using var builder = await CreateBuilderAsync("aws", "--Parameters:aws-stage=alice", "--Desirable:Aws:Atlas=true");
        var database = (AwsStackResource)Resource(builder, "aws-database");

        Assert.Equal("true", await database.Parameters["AtlasEnabled"].GetValueAsync(Ct));
        Assert.Equal("atlas-org-id", ((ParameterResource)database.Parameters["AtlasOrgId"]).Name);
        Assert.Equal("atlas-allowed-cidr", ((ParameterResource)database.Parameters["AtlasAllowedCidr"]).Name);
        Assert.DoesNotContain(builder.Resources, r => r.Name == "mongo-connection-string");
    }

    [Fact]
    public async Task EveryStackOffersReprovisionApplyDriftAndDelete()
    {
        await using var builder = await CreateBuilderAsync("aws", "--Parameters:aws-stage=alice");

        foreach (var name in new[] { "aws-media", "aws-database" })
        {
            var stack = Resource(builder, name);
            var commands = stack.Annotations.OfType<ResourceCommandAnnotation>().ToDictionary(c => c.Name);
            Assert.Equal(
                [AwsStackBuilderExtensions.ApplyCommand, AwsStackBuilderExtensions.DeleteStackCommand, AwsStackBuilderExtensions.DetectDriftCommand, AwsStackBuilderExtensions.ReprovisionCommand],
                commands.Keys.Order(StringComparer.Ordinal));
            Assert.NotNull(commands[AwsStackBuilderExtensions.DeleteStackCommand].ConfirmationMessage);
            Assert.NotNull(commands[AwsStackBuilderExtensions.ApplyCommand].ConfirmationMessage);
            Assert.Contains(stack.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Type == "Parent" && r.Resource.Name == "aws");
        }
    }

    [Fact]
    public async Task TheStacksAreTaggedWithTheirStage()
    {
        await using var builder = await CreateBuilderAsync("aws", "--Parameters:aws-stage=alice");

        var snapshot = Resource(builder, "aws-media").Annotations.OfType<ResourceSnapshotAnnotation>().Single().InitialSnapshot;

        Assert.Contains(snapshot.Properties, p => p.Name == "desirable.stack" && (string?)p.Value == "desirable-alice-media");
        Assert.Contains(snapshot.Properties, p => p.Name == "desirable.stack.target" && ((string)p.Value!).Contains("stage alice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithAuth0TheStageKeepsTheTenantsSettingsInItsAuthStack()
    {
        await using var builder = await CreateBuilderAsync("aws", "--Parameters:aws-stage=alice", "--Desirable:Identity=auth0");
        var auth = (AwsStackResource)Resource(builder, "aws-auth");

        Assert.Equal("desirable-alice-auth", auth.StackName);
        Assert.Equal(["Auth0Audience", "Auth0Domain", "Auth0SpaClientId", "StageKeyArn"], auth.Parameters.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("{auth0-domain.value}", ((IManifestExpressionProvider)auth.Parameters["Auth0Domain"]).ValueExpression);

        await using var local = await CreateBuilderAsync("aws", "--Parameters:aws-stage=alice");
        Assert.DoesNotContain(local.Resources, r => r.Name == "aws-auth");
        await using var embedded = await CreateBuilderAsync("embedded", "--Desirable:Identity=auth0");
        Assert.DoesNotContain(embedded.Resources, r => r.Name == "aws-auth");
    }

    [Fact]
    public async Task TheAccountDeletesTheWholeStageInTheReverseOrderAfterAConfirmation()
    {
        await using var builder = await CreateBuilderAsync("aws", "--Parameters:aws-stage=alice", "--Desirable:Identity=auth0");
        var account = (AwsAccountResource)Resource(builder, "aws");

        Assert.Equal(["aws-media", "aws-database", "aws-auth"], account.Stacks.Select(s => s.Name));
        var delete = Assert.Single(account.Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == AwsCloudBuilderExtensions.DeleteStageCommand);
        Assert.Contains("Delete every stack of stage alice?", delete.ConfirmationMessage, StringComparison.Ordinal);
    }
}
