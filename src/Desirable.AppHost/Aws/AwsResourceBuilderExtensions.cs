using Aspire.Hosting.ApplicationModel;
using Desirable.AppHost.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

public static class AwsResourceBuilderExtensions
{
    /// <summary>Declares an S3 bucket that is created before anything that waits for the emulator starts.</summary>
    public static IResourceBuilder<T> WithBucket<T>(this IResourceBuilder<T> builder, string bucketName)
        where T : IAwsEmulatorResource
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bucketName);
        return builder.WithAnnotation(new AwsBucketAnnotation(bucketName));
    }

    /// <summary>Declares an SQS queue that is created before anything that waits for the emulator starts.</summary>
    /// <param name="builder">The AWS resource.</param>
    /// <param name="queueName">The queue's name.</param>
    /// <param name="attributes">SQS queue attributes, such as <c>VisibilityTimeout</c>.</param>
    /// <param name="deadLetterQueueName">A queue declared before this one that receives messages received too often.</param>
    /// <param name="maxReceiveCount">Receives before a message moves to the dead-letter queue.</param>
    public static IResourceBuilder<T> WithQueue<T>(
        this IResourceBuilder<T> builder,
        string queueName,
        IReadOnlyDictionary<string, string>? attributes = null,
        string? deadLetterQueueName = null,
        int maxReceiveCount = 3)
        where T : IAwsEmulatorResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        if (deadLetterQueueName is not null &&
            !builder.Resource.Annotations.OfType<AwsQueueAnnotation>().Any(q => q.QueueName == deadLetterQueueName))
        {
            throw new InvalidOperationException($"Declare the dead-letter queue {deadLetterQueueName} before {queueName}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxReceiveCount, 1);
        return builder.WithAnnotation(new AwsQueueAnnotation(
            queueName, attributes ?? new Dictionary<string, string>(), deadLetterQueueName, deadLetterQueueName is null ? 0 : maxReceiveCount));
    }

    /// <summary>Declares an SNS topic.</summary>
    public static IResourceBuilder<T> WithTopic<T>(this IResourceBuilder<T> builder, string topicName)
        where T : IAwsEmulatorResource
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topicName);
        return builder.WithAnnotation(new AwsTopicAnnotation(topicName));
    }

    /// <summary>Subscribes a declared queue to a declared topic (raw message delivery: the queue gets the body as published).</summary>
    public static IResourceBuilder<T> WithSubscription<T>(this IResourceBuilder<T> builder, string topicName, string queueName)
        where T : IAwsEmulatorResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Resource.Annotations.OfType<AwsTopicAnnotation>().Any(t => t.TopicName == topicName) ||
            !builder.Resource.Annotations.OfType<AwsQueueAnnotation>().Any(q => q.QueueName == queueName))
        {
            throw new InvalidOperationException($"Declare the topic {topicName} and the queue {queueName} before subscribing one to the other.");
        }

        return builder.WithAnnotation(new AwsSubscriptionAnnotation(topicName, queueName));
    }

    /// <summary>
    /// Gives a service the standard AWS settings for the emulator: <c>AWS_ENDPOINT_URL</c>, <c>AWS_REGION</c> and
    /// credentials. The AWS SDK reads them itself, so the service's code is the one that runs against AWS.
    /// </summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IAwsEmulatorResource> aws)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(aws);
        return builder
            .WithEnvironment("AWS_ENDPOINT_URL", aws.Resource.Endpoint)
            .WithEnvironment("AWS_REGION", aws.Resource.Region)
            .WithEnvironment("AWS_ACCESS_KEY_ID", AwsEmulatorDefaults.AccessKeyId)
            .WithEnvironment("AWS_SECRET_ACCESS_KEY", AwsEmulatorDefaults.SecretAccessKey)
            // Emulators serve buckets on paths; AWS itself is fine either way.
            .WithEnvironment("Storage__ForcePathStyle", "true")
            .WithReferenceRelationship(aws.Resource);
    }

    /// <summary>Creates the declared buckets and queues once the emulator is healthy; dependents wait for it.</summary>
    internal static IResourceBuilder<T> WithAwsProvisioning<T>(this IResourceBuilder<T> builder)
        where T : IAwsEmulatorResource =>
        builder.OnResourceReady(async (resource, e, cancellationToken) =>
        {
            var logger = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
            var url = await resource.Endpoint.GetValueAsync(cancellationToken)
                ?? throw new InvalidOperationException($"{resource.Name} has no endpoint.");
            await AwsProvisioner.ProvisionAsync(new Uri(url), resource.Region, resource, logger, cancellationToken);
        });
}
