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
    public static IResourceBuilder<T> WithQueue<T>(
        this IResourceBuilder<T> builder, string queueName, IReadOnlyDictionary<string, string>? attributes = null)
        where T : IAwsEmulatorResource
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        return builder.WithAnnotation(new AwsQueueAnnotation(queueName, attributes ?? new Dictionary<string, string>()));
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
