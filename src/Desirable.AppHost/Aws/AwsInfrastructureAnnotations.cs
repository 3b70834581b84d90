namespace Aspire.Hosting.ApplicationModel;

/// <summary>An S3 bucket the app needs; created when the AWS resource becomes ready.</summary>
public sealed record AwsBucketAnnotation(string BucketName) : IResourceAnnotation;

/// <summary>
/// An SQS queue the app needs; created when the AWS resource becomes ready. With <see cref="DeadLetterQueueName"/>,
/// a message received more than <see cref="MaxReceiveCount"/> times moves to that queue (which must be declared first).
/// </summary>
public sealed record AwsQueueAnnotation(
    string QueueName, IReadOnlyDictionary<string, string> Attributes, string? DeadLetterQueueName = null, int MaxReceiveCount = 0)
    : IResourceAnnotation;

/// <summary>An SNS topic the app publishes to.</summary>
public sealed record AwsTopicAnnotation(string TopicName) : IResourceAnnotation;

/// <summary>An SQS queue subscribed to an SNS topic, receiving each message's body as published.</summary>
public sealed record AwsSubscriptionAnnotation(string TopicName, string QueueName) : IResourceAnnotation;
