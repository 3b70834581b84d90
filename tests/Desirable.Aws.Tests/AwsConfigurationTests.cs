using Desirable.Aws.CloudFormation;
using Desirable.Aws.Query;

namespace Desirable.Aws.Tests;

/// <summary>
/// What is missing to reach AWS is said in a sentence. These tests point the SDK's configuration at an empty folder
/// (no ~/.aws, no environment), so they run alone: they change the process's environment.
/// </summary>
[CollectionDefinition(nameof(AwsConfigurationTests), DisableParallelization = true)]
[Collection(nameof(AwsConfigurationTests))]
public sealed class AwsConfigurationTests : IDisposable
{
    private static readonly string[] Variables =
    [
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_WEB_IDENTITY_TOKEN_FILE",
    ];

    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

    // One file for the whole run, pointed at before any test of this assembly reaches the SDK: AWSSDK.Core keeps what it
    // read per process. It holds the profiles 'dev' (keys) and 'sso' (never signed in), and no default profile.
    private static string Home => TestAwsConfiguration.Home;

    public AwsConfigurationTests()
    {
        foreach (var variable in Variables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(Home, "config"));
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(Home, "credentials"));
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
    }

    [Fact]
    public void WithoutARegionTheClientSaysHowToSetOne()
    {
        var error = Assert.Throws<AwsConfigurationException>(() => new CloudFormationClient(new HttpClient()));
        Assert.StartsWith("No AWS region is configured: set AWS_REGION", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutCredentialsTheClientSaysWhereTheyComeFrom()
    {
        var error = Assert.Throws<AwsConfigurationException>(() => new CloudFormationClient(new HttpClient(), new AwsQueryClientOptions { Region = "eu-west-1" }));
        Assert.StartsWith("No AWS credentials were found: set AWS_PROFILE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownProfileIsNamedWithTheWayToConfigureIt()
    {
        var error = Assert.Throws<AwsConfigurationException>(() => new CloudFormationClient(new HttpClient(), new AwsQueryClientOptions { Profile = "nobody" }));
        Assert.Equal(
            "The AWS profile 'nobody' is not configured on this machine: run 'aws configure --profile nobody' (or 'aws configure sso'), or name a profile that exists.",
            error.Message);
    }

    [Fact]
    public void AProfileGivesItsRegionAndCredentials()
    {
        var client = new CloudFormationClient(new HttpClient(), new AwsQueryClientOptions { Profile = "dev" });

        Assert.Equal("eu-central-1", client.Region);
        Assert.Equal(new Uri("https://cloudformation.eu-central-1.amazonaws.com/"), client.ServiceUrl);
    }

    public void Dispose()
    {
        foreach (var (variable, value) in _saved)
        {
            Environment.SetEnvironmentVariable(variable, value);
        }
    }

    [Fact]
    public async Task AnSsoProfileWithoutASessionSaysToSignIn()
    {
        // Resolving it needs AWSSDK.SSO and AWSSDK.SSOOIDC at run time; without them this is an assembly load error.
        var client = new CloudFormationClient(new HttpClient(), new AwsQueryClientOptions { Profile = "sso", ServiceUrl = new Uri("http://127.0.0.1:9/") });

        var error = await Assert.ThrowsAsync<AwsConfigurationException>(() => client.DescribeStackAsync("desirable-alice-media", TestContext.Current.CancellationToken));

        Assert.Equal("eu-west-1", client.Region);
        Assert.StartsWith("The AWS credentials could not be obtained:", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("run 'aws sso login' (with --profile when it is not the default).", error.Message, StringComparison.Ordinal);
    }
}
