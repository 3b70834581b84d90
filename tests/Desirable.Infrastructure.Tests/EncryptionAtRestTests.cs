using System.Text.Json;
using Amazon.CDK.Assertions;
using static Desirable.Infrastructure.Tests.TemplateProperties;

namespace Desirable.Infrastructure.Tests;

/// <summary>
/// Everything a stage keeps is encrypted with the stage's own KMS key (the Media stack's): buckets, queues, topics,
/// secrets, log groups and image repositories, in every stack.
/// </summary>
[Collection(SynthesizedStageGroup.Name)]
public sealed class EncryptionAtRestTests(SynthesizedStage stage)
{
    /// <summary>Where each type names its key.</summary>
    private static readonly Dictionary<string, string[]> KeyProperty = new()
    {
        ["AWS::S3::Bucket"] = ["BucketEncryption", "ServerSideEncryptionConfiguration", "0", "ServerSideEncryptionByDefault", "KMSMasterKeyID"],
        ["AWS::SQS::Queue"] = ["KmsMasterKeyId"],
        ["AWS::SNS::Topic"] = ["KmsMasterKeyId"],
        ["AWS::SecretsManager::Secret"] = ["KmsKeyId"],
        ["AWS::Logs::LogGroup"] = ["KmsKeyId"],
        ["AWS::ECR::Repository"] = ["EncryptionConfiguration", "KmsKey"],
    };

    public static TheoryData<string> Stacks => ["Media", "Database", "Auth", "Registry", "Api", "Monitoring", "Edge", "Web"];

    [Theory]
    [MemberData(nameof(Stacks))]
    public void WhatTheStackKeepsIsEncryptedWithTheStagesKey(string stack)
    {
        var template = JsonDocument.Parse(JsonSerializer.Serialize(Template(stack).ToJSON())).RootElement;
        foreach (var resource in template.GetProperty("Resources").EnumerateObject())
        {
            if (!KeyProperty.TryGetValue(resource.Value.GetProperty("Type").GetString()!, out var path))
            {
                continue;
            }

            var key = path.Aggregate((JsonElement?)resource.Value.GetProperty("Properties"), (element, step) =>
                element is not { } e ? null
                : e.ValueKind == JsonValueKind.Array ? e[int.Parse(step, System.Globalization.CultureInfo.InvariantCulture)]
                : e.TryGetProperty(step, out var next) ? next : null);
            var expected = stack == "Media" ? "{\"Fn::GetAtt\":[\"StageKey" : $"{{\"Ref\":\"{MediaOutputs.StageKeyArn}\"}}";
            Assert.True(key?.GetRawText().StartsWith(expected, StringComparison.Ordinal) == true,
                $"{stack}'s {resource.Name} is not encrypted with the stage's key: {key?.GetRawText() ?? "no key"}.");
        }
    }

    [Fact]
    public void TheStagesKeyRotatesAndOutlivesALastingStageLikeTheDataItEncrypts()
    {
        stage.Media.HasResource("AWS::KMS::Key", Props(
            ("DeletionPolicy", "Retain"),
            ("Properties", Match.ObjectLike(Props(("EnableKeyRotation", true), ("PendingWindowInDays", 30))))));
        stage.Media.HasResourceProperties("AWS::KMS::Alias", Props(("AliasName", "alias/desirable-alice")));
        stage.DisposableMedia.HasResource("AWS::KMS::Key", Props(("DeletionPolicy", "Delete"), ("Properties", Match.ObjectLike(Props(("PendingWindowInDays", 7))))));
        Assert.Contains(MediaOutputs.StageKeyArn, stage.Media.FindOutputs("*").Keys);
    }

    [Fact]
    public void CloudWatchLogsMayUseTheKeyForTheStagesLogGroupsOnly()
    {
        var logGroups = Props(("Fn::Join", new object[] { "", Match.ArrayWith([":log-group:/desirable/alice/*"]) }));
        var statement = Match.ObjectLike(Props(
            ("Sid", "StageLogGroups"),
            ("Condition", Props(("ArnLike", Props(("kms:EncryptionContext:aws:logs:arn", logGroups)))))));
        HasKeyStatement(statement);
    }

    [Fact]
    public void AlarmsAndBudgetAlertsMayPublishToTheEncryptedAlarmTopic()
    {
        var statement = Match.ObjectLike(Props(
            ("Sid", "AlarmsAndBudgetAlerts"),
            ("Principal", Props(("Service", new object[] { "cloudwatch.amazonaws.com", "budgets.amazonaws.com" }))),
            ("Condition", Props(("StringEquals", Props(("aws:SourceAccount", Props(("Ref", "AWS::AccountId")))))))));
        HasKeyStatement(statement);
        // Not SNS's AWS-managed key, which neither service may use.
        stage.Monitoring.HasResourceProperties("AWS::SNS::Topic", Props(("KmsMasterKeyId", Props(("Ref", MediaOutputs.StageKeyArn)))));
    }

    private void HasKeyStatement(Matcher statement) =>
        stage.Media.HasResourceProperties("AWS::KMS::Key", Props(("KeyPolicy", Match.ObjectLike(Props(("Statement", Match.ArrayWith([statement])))))));

    [Fact]
    public void TheMediaBucketAndSiteBucketUseBucketKeys()
    {
        var bucketKey = Props(("BucketEncryption", Props(("ServerSideEncryptionConfiguration", new object[] { Match.ObjectLike(Props(("BucketKeyEnabled", true))) }))));
        stage.Media.HasResourceProperties("AWS::S3::Bucket", bucketKey);
        stage.Web.HasResourceProperties("AWS::S3::Bucket", bucketKey);
    }

    private Template Template(string stack) => stack switch
    {
        "Media" => stage.Media,
        "Database" => stage.Database,
        "Auth" => stage.Auth,
        "Registry" => stage.Registry,
        "Api" => stage.Api,
        "Monitoring" => stage.Monitoring,
        "Edge" => stage.Edge,
        _ => stage.Web,
    };
}
