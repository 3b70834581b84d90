using Amazon.CDK.Assertions;
using static Desirable.Infrastructure.Tests.TemplateProperties;

namespace Desirable.Infrastructure.Tests;

/// <summary>One test per security or cost property of the Media stack, named for the rule it guards.</summary>
[Collection(SynthesizedStageGroup.Name)]
public sealed class MediaStackTests(SynthesizedStage stage)
{
    private static Matcher DenyWithoutTls(object action) => Match.ArrayWith(
    [
        Match.ObjectLike(Props(
            ("Effect", "Deny"),
            ("Action", action),
            ("Principal", Props(("AWS", "*"))),
            ("Condition", Props(("Bool", Props(("aws:SecureTransport", "false"))))))),
    ]);

    [Fact]
    public void MediaBucketIsEncryptedAtRest() =>
        stage.Media.HasResourceProperties("AWS::S3::Bucket", Props(("BucketEncryption", Props(
            ("ServerSideEncryptionConfiguration", new object[] { Match.ObjectLike(Props(("ServerSideEncryptionByDefault", Match.ObjectLike(Props(("SSEAlgorithm", "aws:kms")))))) })))));

    [Fact]
    public void MediaBucketBlocksAllPublicAccess() =>
        stage.Media.HasResourceProperties("AWS::S3::Bucket", Props(
            ("PublicAccessBlockConfiguration", Props(
                ("BlockPublicAcls", true), ("BlockPublicPolicy", true), ("IgnorePublicAcls", true), ("RestrictPublicBuckets", true))),
            ("OwnershipControls", Props(("Rules", new object[] { Props(("ObjectOwnership", "BucketOwnerEnforced")) })))));

    [Fact]
    public void MediaBucketDeniesRequestsWithoutTls() =>
        stage.Media.HasResourceProperties("AWS::S3::BucketPolicy", Props(("PolicyDocument", Props(("Statement", DenyWithoutTls("s3:*"))))));

    [Fact]
    public void MediaBucketAllowsOnlyTheWebOriginAcrossOrigins()
    {
        stage.Media.HasParameter("WebOrigin", Props(("Type", "String"), ("Default", "http://localhost:5080")));
        stage.Media.HasResourceProperties("AWS::S3::Bucket", Props(("CorsConfiguration", Props(("CorsRules", new object[]
        {
            Match.ObjectLike(Props(
                ("AllowedOrigins", new object[] { Props(("Ref", "WebOrigin")) }),
                ("AllowedMethods", new object[] { "GET", "HEAD", "PUT" }))),
        })))));
    }

    [Fact]
    public void MediaBucketAbortsIncompleteMultipartUploadsAfterADay() =>
        stage.Media.HasResourceProperties("AWS::S3::Bucket", Props(("LifecycleConfiguration", Props(("Rules", Match.ArrayWith(
        [
            Match.ObjectLike(Props(("Status", "Enabled"), ("AbortIncompleteMultipartUpload", Props(("DaysAfterInitiation", 1))))),
        ]))))));

    [Fact]
    public void MediaBucketMovesMediaLargerThanTheTieringMinimumToIntelligentTiering() =>
        stage.Media.HasResourceProperties("AWS::S3::Bucket", Props(("LifecycleConfiguration", Props(("Rules", Match.ArrayWith(
        [
            Match.ObjectLike(Props(
                ("Status", "Enabled"),
                ("Prefix", "media/"),
                ("ObjectSizeGreaterThan", 131072),
                ("Transitions", new object[] { Props(("StorageClass", "INTELLIGENT_TIERING"), ("TransitionInDays", 0)) }))),
        ]))))));

    [Fact]
    public void MediaBucketIsRetainedWhenTheStackIsDeleted() =>
        stage.Media.HasResource("AWS::S3::Bucket", Props(("DeletionPolicy", "Retain"), ("UpdateReplacePolicy", "Retain")));

    [Fact]
    public void MediaBucketOfADisposableStageIsDeletedWithIt() =>
        stage.DisposableMedia.HasResource("AWS::S3::Bucket", Props(("DeletionPolicy", "Delete")));

    [Fact]
    public void JobQueueMovesAJobToTheDeadLetterQueueAfterThreeAttempts()
    {
        var deadLetters = new Capture();
        stage.Media.HasResourceProperties("AWS::SQS::Queue", Props(
            ("QueueName", "desirable-alice-media-processing"),
            ("VisibilityTimeout", 60),
            ("RedrivePolicy", Props(("deadLetterTargetArn", Props(("Fn::GetAtt", new object[] { deadLetters, "Arn" }))), ("maxReceiveCount", 10)))));
        var dlq = stage.Media.FindResources("AWS::SQS::Queue")[deadLetters.AsString()];
        Assert.Equal("desirable-alice-media-processing-dlq", ((IDictionary<string, object>)dlq["Properties"])["QueueName"]);
    }

    [Fact]
    public void DeadLetterQueueKeepsJobsForTwoWeeks() =>
        stage.Media.HasResourceProperties("AWS::SQS::Queue", Props(
            ("QueueName", "desirable-alice-media-processing-dlq"), ("MessageRetentionPeriod", 1209600)));

    [Fact]
    public void EveryQueueIsEncryptedAtRest()
    {
        stage.Media.ResourceCountIs("AWS::SQS::Queue", 3);
        Assert.Equal(3, stage.Media.FindResources("AWS::SQS::Queue", Props(("Properties", Match.ObjectLike(Props(("KmsMasterKeyId", Match.AnyValue())))))).Count);
    }

    [Fact]
    public void EveryQueueDeniesRequestsWithoutTls() =>
        Assert.Equal(3, stage.Media.FindResources("AWS::SQS::QueuePolicy", Props(("Properties", Props(
            ("PolicyDocument", Props(("Statement", DenyWithoutTls("sqs:*"))))))))
            .Count);

    [Fact]
    public void EventsTopicIsEncryptedAtRest() =>
        stage.Media.HasResourceProperties("AWS::SNS::Topic", Props(("KmsMasterKeyId", Match.AnyValue())));

    [Fact]
    public void EventsTopicDeniesRequestsWithoutTls() =>
        stage.Media.HasResourceProperties("AWS::SNS::TopicPolicy", Props(("PolicyDocument", Props(("Statement", DenyWithoutTls(new object[] { "sns:Publish", "sns:Subscribe" }))))));

    [Fact]
    public void AuditQueueReceivesTheEventsAsPublished()
    {
        var topic = new Capture();
        var queue = new Capture();
        stage.Media.HasResourceProperties("AWS::SNS::Subscription", Props(
            ("Protocol", "sqs"),
            ("RawMessageDelivery", true),
            ("TopicArn", Props(("Ref", topic))),
            ("Endpoint", Props(("Fn::GetAtt", new object[] { queue, "Arn" })))));
        Assert.Contains(topic.AsString(), stage.Media.FindResources("AWS::SNS::Topic").Keys);
        var audit = stage.Media.FindResources("AWS::SQS::Queue")[queue.AsString()];
        Assert.Equal("desirable-alice-media-events-audit", ((IDictionary<string, object>)audit["Properties"])["QueueName"]);
    }

    [Fact]
    public void AuditQueueLetsOnlyTheEventsTopicSend() =>
        stage.Media.HasResourceProperties("AWS::SQS::QueuePolicy", Props(("PolicyDocument", Props(("Statement", Match.ArrayWith(
        [
            Match.ObjectLike(Props(
                ("Effect", "Allow"),
                ("Action", "sqs:SendMessage"),
                ("Principal", Props(("Service", "sns.amazonaws.com"))),
                ("Condition", Props(("ArnEquals", Props(("aws:SourceArn", Props(("Ref", Match.StringLikeRegexp("^EventsTopic")))))))))),
        ]))))));

    [Fact]
    public void MediaStackOutputsEveryNameUrlAndArn()
    {
        string[] expected =
        [
            MediaOutputs.StageKeyArn, MediaOutputs.BucketName, MediaOutputs.BucketArn,
            MediaOutputs.JobQueueName, MediaOutputs.JobQueueUrl, MediaOutputs.JobQueueArn,
            MediaOutputs.DeadLetterQueueName, MediaOutputs.DeadLetterQueueUrl, MediaOutputs.DeadLetterQueueArn,
            MediaOutputs.EventsTopicName, MediaOutputs.EventsTopicArn,
            MediaOutputs.EventsAuditQueueName, MediaOutputs.EventsAuditQueueUrl, MediaOutputs.EventsAuditQueueArn,
        ];
        Assert.Equal(expected.Order(), stage.Media.FindOutputs("*").Keys.Order());
    }

    [Fact]
    public void EveryResourceIsNamedForItsStage()
    {
        Assert.Equal(["desirable-alice-media", "desirable-alice-database", "desirable-alice-auth", "desirable-alice-registry", "desirable-alice-api", "desirable-alice-monitoring", "desirable-alice-edge", "desirable-alice-web"], stage.StackNames);
        stage.Media.HasResourceProperties("AWS::S3::Bucket", Props(("BucketName", Props(("Fn::Join", new object[]
        {
            "", new object[] { "desirable-alice-media-", Props(("Ref", "AWS::AccountId")), "-", Props(("Ref", "AWS::Region")) },
        })))));
        stage.Media.HasResourceProperties("AWS::SNS::Topic", Props(("TopicName", "desirable-alice-media-events")));
        stage.DisposableMedia.HasResourceProperties("AWS::SQS::Queue", Props(("QueueName", "desirable-ci-42-media-processing")));
        stage.Media.HasResourceProperties("AWS::SQS::Queue", Props(("Tags", Match.ArrayWith([Props(("Key", "desirable:stage"), ("Value", "alice"))]))));
    }
}
