using Amazon.Runtime;
using Amazon.S3;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Desirable.Hosting.Aws;

/// <summary>
/// Healthy when the emulator answers an S3 call with the emulator credentials. The AWS API itself is the probe,
/// so the same check fits every emulator image and proves what the services need, not just an open port.
/// </summary>
internal sealed class AwsEmulatorHealthCheck(IAwsEmulatorResource emulator) : IHealthCheck
{
    private AmazonS3Client? _s3;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            _s3 ??= await CreateClientAsync(cancellationToken);
            await _s3.ListBucketsAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{emulator.Name} does not answer S3 yet.", e);
        }
    }

    /// <summary>Made once the endpoint is allocated, then kept for every later check.</summary>
    private async Task<AmazonS3Client> CreateClientAsync(CancellationToken cancellationToken)
    {
        var url = await emulator.Endpoint.GetValueAsync(cancellationToken)
            ?? throw new InvalidOperationException($"{emulator.Name} has no endpoint yet.");
        return new AmazonS3Client(
            new BasicAWSCredentials(AwsEmulatorDefaults.AccessKeyId, AwsEmulatorDefaults.SecretAccessKey),
            new AmazonS3Config
            {
                ServiceURL = url,
                AuthenticationRegion = emulator.Region,
                ForcePathStyle = true,
                Timeout = TimeSpan.FromSeconds(3),
                MaxErrorRetry = 0,
            });
    }
}
