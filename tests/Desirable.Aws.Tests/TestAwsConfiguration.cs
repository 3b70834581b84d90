[assembly: AssemblyFixture(typeof(Desirable.Aws.Tests.TestAwsConfiguration))]

namespace Desirable.Aws.Tests;

/// <summary>
/// The AWS configuration files of this test run (the profiles AwsConfigurationTests read), pointed at before the
/// first test starts: AWSSDK.Core reads them once per process, so any earlier SDK client (the SNS tests' fauxqs
/// clients) would otherwise fix what the SDK sees before the configuration tests set it.
/// </summary>
public sealed class TestAwsConfiguration
{
    public TestAwsConfiguration()
    {
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(Home, "config"));
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(Home, "credentials"));
    }

    public static string Home { get; } = WriteConfig();

    private static string WriteConfig()
    {
        var home = Directory.CreateTempSubdirectory("desirable-aws-config-").FullName;
        File.WriteAllText(Path.Combine(home, "config"),
            "[profile dev]\nregion = eu-central-1\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n" +
            "[profile sso]\nregion = eu-west-1\nsso_start_url = https://example.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 123456789012\nsso_role_name = Developer\n");
        return home;
    }
}
