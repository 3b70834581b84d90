using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;

namespace Desirable.AppHost.Aws;

/// <summary>
/// Creates the buckets and queues declared on an AWS resource, through the AWS APIs themselves, so that every
/// emulator (and the same call sequence against a real account) is prepared by one code path. Idempotent.
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
        foreach (var queue in resource.Annotations.OfType<AwsQueueAnnotation>())
        {
            // CreateQueue returns the existing queue when the attributes match, which makes it idempotent.
            await sqs.CreateQueueAsync(new CreateQueueRequest
            {
                QueueName = queue.QueueName,
                Attributes = new Dictionary<string, string>(queue.Attributes),
            }, cancellationToken);
            logger.LogInformation("Queue {Queue} is ready.", queue.QueueName);
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
