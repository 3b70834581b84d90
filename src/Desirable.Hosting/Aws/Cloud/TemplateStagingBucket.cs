using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon;
using Amazon.S3;
using Amazon.S3.Model;
using Desirable.Aws;
using Desirable.Aws.Query;
using Desirable.Aws.Sts;
using Desirable.Infrastructure;

namespace Desirable.Hosting.Aws.Cloud;

/// <summary>
/// Where a template too large to send inline (over 51,200 bytes) goes so that CloudFormation can read it: a private
/// bucket of the stage's own, <c>desirable-{stage}-cfn-{account}-{region}</c>, made on first use, whose objects
/// expire after a day (CloudFormation reads a template only while it creates the change set).
/// </summary>
public sealed class TemplateStagingBucket(StageName stage, string region, IAmazonS3 s3, Func<CancellationToken, Task<string>> accountId)
{
    /// <summary>The staging bucket of the account the settings name, with the developer's credentials.</summary>
    public static TemplateStagingBucket For(StageName stage, AwsAccountSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new AwsQueryClientOptions { Profile = settings.Profile, Region = settings.Region };
        var access = AwsServiceAccess.Resolve("s3", options);
        var s3 = new AmazonS3Client(access.Credentials, RegionEndpoint.GetBySystemName(access.Region));
        var sts = new StsClient(new HttpClient(), options);
        return new TemplateStagingBucket(stage, access.Region, s3, sts.GetAccountIdAsync);
    }

    public string BucketName(string account) => $"desirable-{stage}-cfn-{account}-{region}";

    /// <summary>Uploads the template (named by its hash, so a retry reuses it) and returns the URL CloudFormation reads.</summary>
    public async Task<Uri> StageAsync(string stackName, string templateBody, CancellationToken cancellationToken)
    {
        var bucket = BucketName(await accountId(cancellationToken));
        await EnsureBucketAsync(bucket, cancellationToken);
        var key = $"{stackName}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(templateBody)))}.template.json";
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = templateBody, ContentType = "application/json" }, cancellationToken);
        return new Uri($"https://{bucket}.s3.{region}.amazonaws.com/{key}");
    }

    private async Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, UseClientRegion = true }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" || e.StatusCode == HttpStatusCode.Conflict && e.ErrorCode != "BucketAlreadyExists")
        {
            return;
        }

        await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration
            {
                BlockPublicAcls = true,
                BlockPublicPolicy = true,
                IgnorePublicAcls = true,
                RestrictPublicBuckets = true,
            },
        }, cancellationToken);
        await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new LifecycleConfiguration
            {
                Rules =
                [
                    new LifecycleRule
                    {
                        Id = "expire-staged-templates",
                        Status = LifecycleRuleStatus.Enabled,
                        Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = "" } },
                        Expiration = new LifecycleRuleExpiration { Days = 1 },
                    },
                ],
            },
        }, cancellationToken);
    }
}
