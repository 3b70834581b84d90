using Desirable.Hosting.Aws.Cloud;
using Microsoft.Extensions.Configuration;

namespace Desirable.Hosting.Tests;

/// <summary>What the commands and the dashboard say about where the stacks go: the region as the SDK will pick it.</summary>
public sealed class AwsAccountSettingsTests
{
    [Theory]
    [InlineData("eu-west-1", null, "AWS (profile dev, eu-west-1), stage alice")]
    [InlineData(null, "eu-central-1", "AWS (profile dev, eu-central-1 from AWS_REGION), stage alice")]
    [InlineData(null, null, "AWS (profile dev, the profile's region), stage alice")]
    [InlineData("eu-west-1", "eu-central-1", "AWS (profile dev, eu-west-1), stage alice")]
    public void TheDescriptionNamesTheRegionWhereverItComesFrom(string? parameter, string? environment, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Parameters:aws-profile"] = "dev",
            ["Parameters:aws-stage"] = "alice",
            ["Parameters:aws-region"] = parameter,
            ["AWS_REGION"] = environment,
        }).Build();

        Assert.Equal(expected, AwsAccountSettings.From(configuration).Description);
    }
}
