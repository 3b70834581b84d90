using Aspire.Hosting.ApplicationModel;
using Desirable.Hosting.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// AWS emulator containers for the containers mode. Both run CloudFormation: the Media stack's template is deployed to
/// them by the same client and deployer as to AWS.
/// </summary>
public static class AwsEmulatorContainerBuilderExtensions
{
    /// <summary>Tags are pinned so that everyone runs the same emulator; LocalStack uses calendar versions.</summary>
    internal static class Images
    {
        public const string Registry = "docker.io";
        public const string Floci = "floci/floci";
        public const string FlociTag = "1.5.11";
        public const string LocalStack = "localstack/localstack";
        public const string LocalStackTag = "2026.08.3";
    }

    /// <summary>Adds Floci (no account or token needed) as the AWS emulator.</summary>
    public static IResourceBuilder<AwsEmulatorContainerResource> AddFloci(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, int? port = null) =>
        builder.AddAwsEmulatorContainer(name, AwsEmulatorImage.Floci, Images.Floci, Images.FlociTag, port)
            .WithEnvironment("FLOCI_DEFAULT_REGION", AwsEmulatorDefaults.Region);

    /// <summary>
    /// Adds LocalStack as the AWS emulator. Since March 2026 it does not start without an auth token, so one must
    /// be given: a secret parameter, never a committed value.
    /// </summary>
    public static IResourceBuilder<AwsEmulatorContainerResource> AddLocalStack(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        IResourceBuilder<ParameterResource> authToken,
        int? port = null)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        return builder.AddAwsEmulatorContainer(name, AwsEmulatorImage.LocalStack, Images.LocalStack, Images.LocalStackTag, port)
            .WithEnvironment("LOCALSTACK_AUTH_TOKEN", authToken)
            // CloudFormation too: the Media stack's template is deployed to it like to AWS.
            .WithEnvironment("SERVICES", "s3,sqs,sns,cloudformation")
            .WithEnvironment("AWS_DEFAULT_REGION", AwsEmulatorDefaults.Region);
    }

    /// <summary>
    /// Keeps the emulator's state in a named volume, so objects survive restarts just like the catalog entries
    /// that point at them.
    /// </summary>
    public static IResourceBuilder<AwsEmulatorContainerResource> WithDataVolume(
        this IResourceBuilder<AwsEmulatorContainerResource> builder, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var volume = name ?? VolumeNameGenerator.Generate(builder, "data");
        return builder.Resource.Image switch
        {
            // Hybrid, as Floci's docs advise for development: stores live in memory and are written to the volume
            // every few seconds and on stop. "persistent" rewrites a whole store (every object's metadata) on each
            // change, so each upload would cost more as the library grows. A crash can lose the last seconds of
            // emulator state; the processor's reconciler sends again the jobs of items still waiting, and real S3 is
            // durable anyway.
            AwsEmulatorImage.Floci => builder
                .WithVolume(volume, "/app/data")
                .WithEnvironment("FLOCI_STORAGE_MODE", "hybrid")
                .WithEnvironment("FLOCI_STORAGE_PERSISTENT_PATH", "/app/data"),
            AwsEmulatorImage.LocalStack => builder
                .WithVolume(volume, "/var/lib/localstack")
                .WithEnvironment("PERSISTENCE", "1"),
            _ => throw new NotSupportedException($"No data volume layout for {builder.Resource.Image}."),
        };
    }

    private static IResourceBuilder<AwsEmulatorContainerResource> AddAwsEmulatorContainer(
        this IDistributedApplicationBuilder builder, string name, AwsEmulatorImage kind, string image, string tag, int? port)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var emulator = new AwsEmulatorContainerResource(name, kind);
        var healthCheckKey = $"{name}_check";
        // One instance for every run of the check, so it keeps its client.
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, new AwsEmulatorHealthCheck(emulator), failureStatus: default, tags: default));

        return builder.AddResource(emulator)
            .WithImage(image, tag)
            .WithImageRegistry(Images.Registry)
            .WithHttpEndpoint(port: port, targetPort: AwsEmulatorContainerResource.ContainerPort, name: AwsEmulatorContainerResource.HttpEndpointName)
            .WithIconName("Cloud")
            .WithHealthCheck(healthCheckKey)
            .OnInitializeResource((resource, e, _) =>
            {
                e.Logger.LogInformation("AWS emulator: {Image} {Tag} ({Kind}).", image, tag, resource.Image);
                return Task.CompletedTask;
            });
    }
}
