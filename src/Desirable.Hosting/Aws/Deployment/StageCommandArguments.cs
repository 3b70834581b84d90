namespace Desirable.Hosting.Aws.Deployment;

/// <summary>
/// The stage commands' short options, turned into the configuration keys the AppHost reads, so that
/// <c>aspire deploy -- --stage alice --stack Api --yes</c> reads as it should: <c>--stage</c> is the aws mode's stage
/// parameter, <c>--stack</c> chooses one stack, and <c>--yes</c> (<c>-y</c>) is Aspire's own "skip confirmation".
/// </summary>
public static class StageCommandArguments
{
    public const string StackKey = "Desirable:Deploy:Stack";

    public static string[] Normalize(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var normalized = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--yes" or "-y":
                    normalized.Add("--Pipeline:SkipConfirmation=true");
                    break;
                case "--stage" when i + 1 < args.Length:
                    normalized.Add($"--Parameters:{Cloud.AwsAccountSettings.StageParameter}={args[++i]}");
                    break;
                case "--stack" when i + 1 < args.Length:
                    normalized.Add($"--{StackKey}={args[++i]}");
                    break;
                default:
                    normalized.Add(args[i]);
                    break;
            }
        }

        return [.. normalized];
    }
}
