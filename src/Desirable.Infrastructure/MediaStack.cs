using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace Desirable.Infrastructure;

/// <summary>
/// What holds and moves media: the bucket of originals and variants, the processing job queue with its dead-letter
/// queue, the events topic and the audit queue subscribed to it. The emulators get exactly these resources too.
/// </summary>
public sealed class MediaStack : Stack
{
    /// <summary>
    /// A job received this many times without being deleted moves to the dead-letter queue. With the processor's
    /// back-off (10 s doubling to 15 min) ten attempts span about 50 minutes, so a storage or catalog outage of that
    /// long fails nothing.
    /// </summary>
    public const int ProcessingAttempts = 10;

    /// <summary>
    /// How long a received job stays invisible, in seconds; the processor extends it every half of it while it works.
    /// A constant, so that the AppHost reading it never loads this class (and with it the CDK's large assembly).
    /// </summary>
    public const int JobVisibilityTimeoutSeconds = 60;

    /// <summary>Objects under this prefix are media (originals and variants; see the media service's object keys).</summary>
    public const string MediaPrefix = "media/";

    /// <summary>
    /// S3 does not tier objects under 128 KiB (thumbnails); transitioning them would only add a request charge each.
    /// </summary>
    public const int IntelligentTieringMinimumBytes = 128 * 1024;

    /// <summary>How long SQS reuses a data key before asking KMS again (its maximum: the fewest KMS requests).</summary>
    private static readonly Duration QueueDataKeyReuse = Duration.Hours(24);

    /// <summary>kms:EncryptionContext:aws:logs:arn, the condition under which CloudWatch Logs may use the key.</summary>
    private const string LogsEncryptionContext = "kms:EncryptionContext:aws:logs:arn";

    public MediaStack(Construct scope, string id, StageSettings settings)
        : base(scope, id, DesirableStacks.PropsFor(settings, id, "media bucket, processing queues, events topic"))
    {
        var webOrigin = new CfnParameter(this, "WebOrigin", new CfnParameterProps
        {
            Type = "String",
            Default = "http://localhost:5080",
            AllowedPattern = "^https?://[^/\\s]+$",
            ConstraintDescription = "an origin such as https://media.example.com, without a path",
            Description = "The web app's origin, allowed by the bucket's CORS rule.",
        });

        var key = StageKey(settings);

        var bucket = new Bucket(this, "MediaBucket", new BucketProps
        {
            // Globally unique: the stage, account and region make it so without a random suffix.
            BucketName = $"desirable-{settings.Stage}-media-{Aws.ACCOUNT_ID}-{Aws.REGION}",
            Encryption = BucketEncryption.KMS,
            EncryptionKey = key,
            // One data key per object for a while instead of a KMS call per request: the KMS bill stays small.
            BucketKeyEnabled = true,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            EnforceSSL = true,
            Cors =
            [
                new CorsRule
                {
                    AllowedOrigins = [webOrigin.ValueAsString],
                    AllowedMethods = [HttpMethods.GET, HttpMethods.HEAD, HttpMethods.PUT],
                    AllowedHeaders = ["*"],
                    ExposedHeaders = ["ETag", "Content-Length", "Content-Range"],
                    MaxAge = 3600,
                },
            ],
            LifecycleRules =
            [
                // A crash mid-upload leaves parts that are invisible but billed; S3 collects them after a day.
                new LifecycleRule
                {
                    Id = "abort-incomplete-multipart-uploads",
                    AbortIncompleteMultipartUploadAfter = Duration.Days(1),
                },
                // Media is read often right after upload and rarely later; Intelligent-Tiering moves it down by itself
                // without retrieval fees.
                new LifecycleRule
                {
                    Id = "media-to-intelligent-tiering",
                    Prefix = MediaPrefix,
                    ObjectSizeGreaterThan = IntelligentTieringMinimumBytes,
                    Transitions =
                    [
                        new Transition { StorageClass = StorageClass.INTELLIGENT_TIERING, TransitionAfter = Duration.Days(0) },
                    ],
                },
            ],
            // Uploads are the users' data: a deleted stack leaves the bucket unless the stage is disposable.
            RemovalPolicy = settings.Disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
        });

        var deadLetters = new Queue(this, "JobDeadLetterQueue", new QueueProps
        {
            QueueName = $"desirable-{settings.Stage}-media-processing-dlq",
            // Jobs that failed every attempt are kept for two weeks (SQS's maximum) to be looked at.
            RetentionPeriod = Duration.Days(14),
            Encryption = QueueEncryption.KMS,
            EncryptionMasterKey = key,
            DataKeyReuse = QueueDataKeyReuse,
            EnforceSSL = true,
        });

        var jobs = new Queue(this, "JobQueue", new QueueProps
        {
            QueueName = $"desirable-{settings.Stage}-media-processing",
            VisibilityTimeout = Duration.Seconds(JobVisibilityTimeoutSeconds),
            Encryption = QueueEncryption.KMS,
            EncryptionMasterKey = key,
            DataKeyReuse = QueueDataKeyReuse,
            EnforceSSL = true,
            DeadLetterQueue = new DeadLetterQueue { Queue = deadLetters, MaxReceiveCount = ProcessingAttempts },
        });

        var events = new Topic(this, "EventsTopic", new TopicProps
        {
            TopicName = $"desirable-{settings.Stage}-media-events",
            MasterKey = key,
        });
        // CDK 2.160's TopicProps.EnforceSSL writes no policy; say it ourselves, as the bucket and queues do.
        events.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "DenyInsecureTransport",
            Effect = Effect.DENY,
            Principals = [new AnyPrincipal()],
            Actions = ["sns:Publish", "sns:Subscribe"],
            Resources = [events.TopicArn],
            Conditions = new Dictionary<string, object>
            {
                ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" },
            },
        }));

        // Other systems subscribe to the topic; the audit queue lets a developer read what they would receive.
        var audit = new Queue(this, "EventsAuditQueue", new QueueProps
        {
            QueueName = $"desirable-{settings.Stage}-media-events-audit",
            Encryption = QueueEncryption.KMS,
            EncryptionMasterKey = key,
            DataKeyReuse = QueueDataKeyReuse,
            EnforceSSL = true,
        });
        events.AddSubscription(new SqsSubscription(audit, new SqsSubscriptionProps { RawMessageDelivery = true }));

        DesirableStacks.Output(this, MediaOutputs.StageKeyArn, key.KeyArn, "The stage's KMS key: every stack encrypts what it keeps with it.");
        DesirableStacks.Output(this, MediaOutputs.BucketName, bucket.BucketName, "The media bucket.");
        DesirableStacks.Output(this, MediaOutputs.BucketArn, bucket.BucketArn, "The media bucket's ARN.");
        DesirableStacks.Output(this, MediaOutputs.JobQueueName, jobs.QueueName, "The processing job queue.");
        DesirableStacks.Output(this, MediaOutputs.JobQueueUrl, jobs.QueueUrl, "The processing job queue's URL.");
        DesirableStacks.Output(this, MediaOutputs.JobQueueArn, jobs.QueueArn, "The processing job queue's ARN.");
        DesirableStacks.Output(this, MediaOutputs.DeadLetterQueueName, deadLetters.QueueName, "Jobs that failed every attempt.");
        DesirableStacks.Output(this, MediaOutputs.DeadLetterQueueUrl, deadLetters.QueueUrl, "The dead-letter queue's URL.");
        DesirableStacks.Output(this, MediaOutputs.DeadLetterQueueArn, deadLetters.QueueArn, "The dead-letter queue's ARN.");
        DesirableStacks.Output(this, MediaOutputs.EventsTopicName, events.TopicName, "The media events topic.");
        DesirableStacks.Output(this, MediaOutputs.EventsTopicArn, events.TopicArn, "The media events topic's ARN.");
        DesirableStacks.Output(this, MediaOutputs.EventsAuditQueueName, audit.QueueName, "A queue subscribed to the events topic.");
        DesirableStacks.Output(this, MediaOutputs.EventsAuditQueueUrl, audit.QueueUrl, "The audit queue's URL.");
        DesirableStacks.Output(this, MediaOutputs.EventsAuditQueueArn, audit.QueueArn, "The audit queue's ARN.");
    }

    /// <summary>
    /// The stage's customer managed key: the media bucket, the queues and topics, the secrets, the log groups and the
    /// site's bucket are encrypted with it, so access to a stage's data at rest is one key policy and one audit trail
    /// (CloudTrail logs every use). Rotated yearly. Kept when the stack goes, like the bucket it encrypts (a deleted key
    /// would leave the retained media unreadable), unless the stage is disposable.
    /// </summary>
    /// <remarks>
    /// The account's IAM policies decide which roles may use it (the key policy's default statement); AWS services that
    /// act for the stage, not as one of its roles, are named here: CloudWatch Logs for the stage's log groups only,
    /// CloudWatch alarms and AWS Budgets to publish to the encrypted alarm topic, CloudFront to read the site's files.
    /// </remarks>
    private Key StageKey(StageSettings settings)
    {
        var key = new Key(this, "StageKey", new KeyProps
        {
            Alias = $"alias/desirable-{settings.Stage}",
            Description = $"Desirable stage {settings.Stage}: what the stage keeps at rest.",
            EnableKeyRotation = true,
            RemovalPolicy = settings.Disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
            PendingWindow = Duration.Days(settings.Disposable ? 7 : 30),
        });
        var sameAccount = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID } };
        key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "StageLogGroups",
            Effect = Effect.ALLOW,
            Principals = [new ServicePrincipal($"logs.{Aws.REGION}.amazonaws.com")],
            // As AWS documents it for log groups.
            Actions = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["ArnLike"] = new Dictionary<string, object> { [LogsEncryptionContext] = $"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:/desirable/{settings.Stage}/*" },
            },
        }));
        key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AlarmsAndBudgetAlerts",
            Effect = Effect.ALLOW,
            Principals = [new ServicePrincipal("cloudwatch.amazonaws.com"), new ServicePrincipal("budgets.amazonaws.com")],
            Actions = ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resources = ["*"],
            Conditions = sameAccount,
        }));
        key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "SiteFiles",
            Effect = Effect.ALLOW,
            Principals = [new ServicePrincipal("cloudfront.amazonaws.com")],
            Actions = ["kms:Decrypt"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = $"arn:{Aws.PARTITION}:cloudfront::{Aws.ACCOUNT_ID}:distribution/*" },
            },
        }));
        return key;
    }
}
