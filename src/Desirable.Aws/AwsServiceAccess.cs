using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Desirable.Aws.Query;

namespace Desirable.Aws;

/// <summary>
/// Region, endpoint and credentials for one AWS service, resolved as the SDK's own clients resolve them: a named
/// profile (credentials, SSO, region), else <c>AWS_PROFILE</c> and the default chains; the endpoint from
/// <c>AWS_ENDPOINT_URL_{SERVICE}</c> or <c>AWS_ENDPOINT_URL</c>. What is missing is said in a sentence.
/// </summary>
public sealed record AwsServiceAccess(string Region, Uri ServiceUrl, AWSCredentials Credentials)
{
    public static AwsServiceAccess Resolve(string service, AwsQueryClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var profileName = options.Profile ?? Environment.GetEnvironmentVariable("AWS_PROFILE");
        CredentialProfile? profile = null;
        if (!string.IsNullOrWhiteSpace(profileName) && !new CredentialProfileStoreChain().TryGetProfile(profileName, out profile))
        {
            throw new AwsConfigurationException(
                $"The AWS profile '{profileName}' is not configured on this machine: run 'aws configure --profile {profileName}' " +
                "(or 'aws configure sso'), or name a profile that exists.");
        }

        var region = options.Region ?? profile?.Region?.SystemName ?? FallbackRegionFactory.GetRegionEndpoint()?.SystemName
            ?? throw new AwsConfigurationException(
                "No AWS region is configured: set AWS_REGION, or a region in the AWS profile you use.");
        var serviceUrl = options.ServiceUrl
            ?? EndpointFromEnvironment(service)
            ?? new Uri($"https://{service}.{region}.amazonaws.com/");

        AWSCredentials credentials;
        if (options.Credentials is { } fixedCredentials)
        {
            credentials = fixedCredentials;
        }
        else if (profile is not null && new CredentialProfileStoreChain().TryGetAWSCredentials(profile.Name, out var profileCredentials))
        {
            credentials = profileCredentials;
        }
        else
        {
            try
            {
                credentials = DefaultAWSCredentialsIdentityResolver.GetCredentials();
            }
            catch (AmazonClientException e)
            {
                throw new AwsConfigurationException(
                    "No AWS credentials were found: set AWS_PROFILE to a configured profile (aws configure, or aws sso login), " +
                    "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.", e);
            }
        }

        return new AwsServiceAccess(region, serviceUrl, credentials);
    }

    private static Uri? EndpointFromEnvironment(string service)
    {
        var value = Environment.GetEnvironmentVariable($"AWS_ENDPOINT_URL_{service.ToUpperInvariant().Replace('-', '_')}")
            ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        return string.IsNullOrWhiteSpace(value) ? null : new Uri(value.EndsWith('/') ? value : value + "/");
    }
}
