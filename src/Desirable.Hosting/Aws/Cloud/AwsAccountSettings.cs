using Desirable.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Desirable.Hosting.Aws.Cloud;

/// <summary>
/// Which AWS account, region and stage the aws mode provisions, from the AppHost's parameters (user secrets,
/// environment or command line): <c>Parameters:aws-profile</c> and <c>Parameters:aws-region</c> (both optional: the
/// SDK's default chain and the profile's region otherwise) and <c>Parameters:aws-stage</c> (the user's name by default,
/// as SST's personal stages are).
/// </summary>
public sealed record AwsAccountSettings(string? Profile, string? Region, string StageValue, StageName? Stage, string? StageError, bool Disposable)
{
    /// <summary>The SDK's own region setting (<c>AWS_REGION</c>), which wins over the profile's when no parameter names one.</summary>
    public string? EnvironmentRegion { get; init; }

    public const string ProfileParameter = "aws-profile";
    public const string RegionParameter = "aws-region";
    public const string StageParameter = "aws-stage";

    /// <summary><c>Desirable:Aws:Disposable=true</c>: the stage's bucket and cluster go with its stacks (a throwaway stage).</summary>
    public const string DisposableKey = "Desirable:Aws:Disposable";

    public static AwsAccountSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var stage = configuration[$"Parameters:{StageParameter}"];
        stage = string.IsNullOrWhiteSpace(stage) ? StageName.ForUser(Environment.UserName).Value : stage.Trim();
        var valid = StageName.TryParse(stage, out var parsed, out var error);
        return new AwsAccountSettings(
            NullIfEmpty(configuration[$"Parameters:{ProfileParameter}"]),
            NullIfEmpty(configuration[$"Parameters:{RegionParameter}"]),
            stage,
            valid ? parsed : null,
            valid ? null : error,
            bool.TryParse(configuration[DisposableKey], out var disposable) && disposable)
        {
            EnvironmentRegion = NullIfEmpty(configuration["AWS_REGION"]),
        };
    }

    /// <summary>What the dashboard shows as where the stacks go.</summary>
    public string Description =>
        $"AWS ({(Profile is null ? "default credentials" : $"profile {Profile}")}, {Region ?? (EnvironmentRegion is { } region ? $"{region} from AWS_REGION" : "the profile's region")}), stage {StageValue}";

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
