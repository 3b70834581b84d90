using Amazon.CDK.Assertions;
using static Desirable.Infrastructure.Tests.TemplateProperties;

namespace Desirable.Infrastructure.Tests;

/// <summary>The Database stack: Atlas when the parameter enables it, an existing connection string otherwise.</summary>
[Collection(SynthesizedStageGroup.Name)]
public sealed class DatabaseStackTests(SynthesizedStage stage)
{
    private static readonly string[] AtlasTypes =
    [
        "MongoDB::Atlas::Project", "MongoDB::Atlas::Cluster", "MongoDB::Atlas::DatabaseUser", "MongoDB::Atlas::ProjectIpAccessList",
    ];

    [Fact]
    public void AtlasIsOffUnlessTheParameterTurnsItOn()
    {
        stage.Database.HasParameter("AtlasEnabled", Props(("Default", "false"), ("AllowedValues", new object[] { "true", "false" })));
        stage.Database.HasCondition("UseAtlas", Props(("Fn::Equals", new object[] { Props(("Ref", "AtlasEnabled")), "true" })));
    }

    [Fact]
    public void AtlasResourcesExistOnlyWhenAtlasIsEnabled()
    {
        foreach (var type in AtlasTypes)
        {
            stage.Database.ResourceCountIs(type, 1);
            stage.Database.HasResource(type, Props(("Condition", "UseAtlas")));
        }

        stage.Database.HasResource("AWS::SecretsManager::Secret", Props(
            ("Condition", "UseAtlas"), ("Properties", Match.ObjectLike(Props(("GenerateSecretString", Match.AnyValue()))))));
    }

    [Fact]
    public void AtlasClusterKeepsContinuousBackups() =>
        stage.Database.HasResourceProperties("MongoDB::Atlas::Cluster", Props(("BackupEnabled", true), ("PitEnabled", true)));

    [Fact]
    public void AtlasClusterIsRetainedWhenTheStackIsDeleted()
    {
        stage.Database.HasResource("MongoDB::Atlas::Cluster", Props(("DeletionPolicy", "Retain")));
        stage.DisposableDatabase.HasResource("MongoDB::Atlas::Cluster", Props(("DeletionPolicy", "Delete")));
    }

    [Fact]
    public void AtlasUserPasswordIsGeneratedAndNeverWrittenInTheTemplate()
    {
        stage.Database.HasResourceProperties("AWS::SecretsManager::Secret", Props(("GenerateSecretString", Props(
            ("SecretStringTemplate", "{\"username\":\"desirable-app\"}"),
            ("GenerateStringKey", "password"),
            ("ExcludePunctuation", true),
            ("PasswordLength", 40)))));
        stage.Database.HasResourceProperties("MongoDB::Atlas::DatabaseUser", Props(
            ("Username", "desirable-app"),
            ("Password", Props(("Fn::Join", Match.ArrayWith([Match.ArrayWith([Match.StringLikeRegexp("resolve:secretsmanager")])])))),
            ("Roles", new object[] { Props(("RoleName", "readWrite"), ("DatabaseName", "desirable")) })));
    }

    [Fact]
    public void AtlasLetsInOnlyTheGivenAddresses() =>
        stage.Database.HasResourceProperties("MongoDB::Atlas::ProjectIpAccessList", Props(("AccessList", new object[]
        {
            Match.ObjectLike(Props(("CIDRBlock", Props(("Ref", "AtlasAllowedCidr"))))),
        })));

    [Fact]
    public void ConnectionStringSecretHoldsAtlasOrTheExistingString() =>
        stage.Database.HasResourceProperties("AWS::SecretsManager::Secret", Props(
            ("Name", "desirable/alice/catalog-connection-string"),
            ("SecretString", Props(("Fn::If", new object[] { "UseAtlas", Match.ObjectLike(Props(("Fn::Join", Match.AnyValue()))), Props(("Ref", "ExistingConnectionString")) })))));

    [Fact]
    public void ExistingConnectionStringIsNeverEchoed() =>
        stage.Database.HasParameter("ExistingConnectionString", Props(("NoEcho", true)));

    [Fact]
    public void ParametersThatAreMissingStopTheChangeBeforeAnythingIsCreated()
    {
        var rules = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(stage.Database.ToJSON()["Rules"]))!;
        var withoutAtlas = rules["ExistingConnectionStringWithoutAtlas"]!;
        Assert.Equal("false", (string?)withoutAtlas["RuleCondition"]!["Fn::Equals"]![1]);
        Assert.Equal("ExistingConnectionString", (string?)withoutAtlas["Assertions"]![0]!["Assert"]!["Fn::Not"]![0]!["Fn::Equals"]![0]!["Ref"]);
        var withAtlas = rules["AtlasSettingsWithAtlas"]!;
        Assert.Equal("true", (string?)withAtlas["RuleCondition"]!["Fn::Equals"]![1]);
        Assert.Equal(
            ["AtlasOrgId", "AtlasAllowedCidr"],
            withAtlas["Assertions"]!.AsArray().Select(a => (string?)a!["Assert"]!["Fn::Not"]![0]!["Fn::Equals"]![0]!["Ref"]));
    }

    [Fact]
    public void ConnectionStringSecretArnIsAnOutput() =>
        stage.Database.HasOutput(DatabaseOutputs.ConnectionStringSecretArn, Props(("Value", Props(("Ref", Match.StringLikeRegexp("^CatalogConnectionString"))))));

    [Fact]
    public void OnlyAStackThatMadeAnAtlasClusterSaysSo() =>
        stage.Database.HasOutput(DatabaseOutputs.AtlasCluster, TemplateProperties.Props(("Condition", "UseAtlas")));
}
