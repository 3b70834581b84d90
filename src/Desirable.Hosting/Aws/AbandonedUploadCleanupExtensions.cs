using Amazon.Runtime;
using Amazon.S3;
using Aspire.Hosting.ApplicationModel;
using Desirable.Hosting.Aws;
using Desirable.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Applies the Media bucket's abort-incomplete-multipart rule on an emulator, as S3 does on AWS.</summary>
public static class AbandonedUploadCleanupExtensions
{
    /// <summary>S3 applies lifecycle rules about once a day; an hour keeps the emulator close to that without cost.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromHours(1);

    /// <summary>
    /// Once <paramref name="stack"/> is provisioned on the emulator, and every <see cref="SweepInterval"/> after,
    /// aborts the uploads to its bucket started longer ago than the bucket's rule allows; the emulator's log says what.
    /// </summary>
    public static IResourceBuilder<IAwsEmulatorResource> WithAbandonedUploadCleanup(
        this IResourceBuilder<IAwsEmulatorResource> emulator, IResourceBuilder<AwsStackResource> stack)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        ArgumentNullException.ThrowIfNull(stack);
        stack.OnInitializeResource((provisioned, e, cancellationToken) =>
        {
            var logger = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(emulator.Resource);
            _ = SweepAsync(emulator.Resource, provisioned, TimeProvider.System, logger, cancellationToken);
            return Task.CompletedTask;
        });
        return emulator;
    }

    private static async Task SweepAsync(IAwsEmulatorResource emulator, AwsStackResource stack, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var outputs = await stack.WaitForOutputsAsync(cancellationToken);
            if (AbandonedUploads.AbortAfter(await stack.Template(cancellationToken)) is not { } abortAfter ||
                !outputs.TryGetValue(MediaOutputs.BucketName, out var bucket))
            {
                return;
            }

            using var s3 = new AmazonS3Client(
                new BasicAWSCredentials(AwsEmulatorDefaults.AccessKeyId, AwsEmulatorDefaults.SecretAccessKey),
                new AmazonS3Config
                {
                    ServiceURL = await emulator.Endpoint.GetValueAsync(cancellationToken),
                    AuthenticationRegion = emulator.Region,
                    ForcePathStyle = true,
                });
            using var timer = new PeriodicTimer(SweepInterval, time);
            do
            {
                try
                {
                    // fauxqs answers ListMultipartUploads with none; its folders are the list.
                    var pending = emulator is FauxqsResource { S3Directory: { } directory }
                        ? AbandonedUploads.ReadFauxqsDirectory(directory, bucket)
                        : await AbandonedUploads.ListAsync(s3, bucket, cancellationToken);

                    var aborted = await AbandonedUploads.AbortStartedBeforeAsync(s3, pending, time.GetUtcNow() - abortAfter, logger, cancellationToken);
                    if (aborted > 0)
                    {
                        logger.LogInformation(
                            "Applied {Bucket}'s lifecycle rule, which the emulator does not: aborted {Count} upload(s) left incomplete for over {Days} day(s).",
                            bucket, aborted, abortAfter.TotalDays);
                    }
                }
                catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
                {
                    logger.LogWarning("Could not look for abandoned uploads in {Bucket} ({Reason}); trying again in an hour.", bucket, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The app stops.
        }
    }
}
