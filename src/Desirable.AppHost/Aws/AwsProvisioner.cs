using System.Globalization;
using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Aspire.Hosting.ApplicationModel;
using Desirable.Aws.Sns;
using Microsoft.Extensions.Logging;

namespace Desirable.AppHost.Aws;

/// <summary>
/// Creates the buckets, queues, topics and subscriptions declared on an AWS resource, through the AWS APIs themselves,
/// so that every emulator (and the same call sequence against a real account) is prepared by one code path. Idempotent.
/// </summary>
public static class AwsProvisioner
{
    public static async Task ProvisionAsync(
        Uri serviceUrl, string region, IResource resource, ILogger logger, CancellationToken cancellationToken)
    {
        var credentials = new BasicAWSCredentials(AwsEmulatorDefaults.AccessKeyId, AwsEmulatorDefaults.SecretAccessKey);

        using var s3 = new AmazonS3Client(credentials, new AmazonS3Config
        {
            ServiceURL = serviceUrl.ToString(),
            AuthenticationRegion = region,
            ForcePathStyle = true,
        });
        foreach (var bucket in resource.Annotations.OfType<AwsBucketAnnotation>())
        {
            await EnsureBucketAsync(s3, bucket.BucketName, cancellationToken);
            logger.LogInformation("Bucket {Bucket} is ready.", bucket.BucketName);
        }

        using var sqs = new AmazonSQSClient(credentials, new AmazonSQSConfig
        {
            ServiceURL = serviceUrl.ToString(),
            AuthenticationRegion = region,
        });
        var queueArns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var queue in resource.Annotations.OfType<AwsQueueAnnotation>())
        {
            var attributes = new Dictionary<string, string>(queue.Attributes);
            if (queue.DeadLetterQueueName is { } deadLetters)
            {
                attributes["RedrivePolicy"] = JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["deadLetterTargetArn"] = queueArns[deadLetters],
                    ["maxReceiveCount"] = queue.MaxReceiveCount.ToString(CultureInfo.InvariantCulture),
                });
            }

            // CreateQueue returns the existing queue when the attributes match; otherwise set them, so a changed
            // declaration reaches a queue that an earlier run created.
            string url;
            try
            {
                url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = queue.QueueName, Attributes = attributes }, cancellationToken)).QueueUrl;
            }
            catch (QueueNameExistsException)
            {
                url = (await sqs.GetQueueUrlAsync(queue.QueueName, cancellationToken)).QueueUrl;
                await sqs.SetQueueAttributesAsync(url, attributes, cancellationToken);
            }

            queueArns[queue.QueueName] = (await sqs.GetQueueAttributesAsync(url, ["QueueArn"], cancellationToken)).QueueARN;
            logger.LogInformation("Queue {Queue} is ready.", queue.QueueName);
        }

        var topics = resource.Annotations.OfType<AwsTopicAnnotation>().ToList();
        if (topics.Count == 0)
        {
            return;
        }

        using var http = new HttpClient();
        var sns = new SnsClient(http, new SnsClientOptions { ServiceUrl = serviceUrl, Region = region, Credentials = credentials });
        var topicArns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            topicArns[topic.TopicName] = await sns.CreateTopicAsync(topic.TopicName, cancellationToken);
            logger.LogInformation("Topic {Topic} is ready.", topic.TopicName);
        }

        foreach (var subscription in resource.Annotations.OfType<AwsSubscriptionAnnotation>())
        {
            // Subscribe is idempotent for the same topic, protocol and endpoint.
            await sns.SubscribeAsync(topicArns[subscription.TopicName], "sqs", queueArns[subscription.QueueName],
                new Dictionary<string, string> { ["RawMessageDelivery"] = "true" }, cancellationToken);
            logger.LogInformation("Queue {Queue} is subscribed to {Topic}.", subscription.QueueName, subscription.TopicName);
        }
    }

    private static async Task EnsureBucketAsync(AmazonS3Client s3, string bucketName, CancellationToken cancellationToken)
    {
        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucketName }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists" || e.StatusCode == HttpStatusCode.Conflict)
        {
            // Already there from an earlier run.
        }

        // Multipart uploads that a crash left unfinished are invisible but cost storage; S3 collects them.
        await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = bucketName,
            Configuration = new LifecycleConfiguration
            {
                Rules =
                [
                    new LifecycleRule
                    {
                        Id = "abort-incomplete-multipart-uploads",
                        Status = LifecycleRuleStatus.Enabled,
                        Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = "" } },
                        AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 1 },
                    },
                ],
            },
        }, cancellationToken);
    }
}
