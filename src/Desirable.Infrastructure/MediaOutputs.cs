namespace Desirable.Infrastructure;

/// <summary>
/// The Media stack's output keys. They reach services as <c>AWS__Resources__{key}</c>, from CloudFormation on AWS
/// and from the template applier on the emulators, so they are a contract: renaming one breaks its readers.
/// </summary>
public static class MediaOutputs
{
    /// <summary>The stage's KMS key, which the later stacks take as a parameter of this name.</summary>
    public const string StageKeyArn = "StageKeyArn";

    public const string BucketName = "MediaBucketName";
    public const string BucketArn = "MediaBucketArn";
    public const string JobQueueName = "JobQueueName";
    public const string JobQueueUrl = "JobQueueUrl";
    public const string JobQueueArn = "JobQueueArn";
    public const string DeadLetterQueueName = "DeadLetterQueueName";
    public const string DeadLetterQueueUrl = "DeadLetterQueueUrl";
    public const string DeadLetterQueueArn = "DeadLetterQueueArn";
    public const string EventsTopicName = "EventsTopicName";
    public const string EventsTopicArn = "EventsTopicArn";
    public const string EventsAuditQueueName = "EventsAuditQueueName";
    public const string EventsAuditQueueUrl = "EventsAuditQueueUrl";
    public const string EventsAuditQueueArn = "EventsAuditQueueArn";
}
