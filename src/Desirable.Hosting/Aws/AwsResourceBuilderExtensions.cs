using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class AwsResourceBuilderExtensions
{
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
}
