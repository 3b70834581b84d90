namespace Aspire.Hosting.ApplicationModel;

/// <summary>An S3 bucket the app needs; created when the AWS resource becomes ready.</summary>
public sealed record AwsBucketAnnotation(string BucketName) : IResourceAnnotation;

/// <summary>An SQS queue the app needs; created when the AWS resource becomes ready.</summary>
public sealed record AwsQueueAnnotation(string QueueName, IReadOnlyDictionary<string, string> Attributes) : IResourceAnnotation;
