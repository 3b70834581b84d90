namespace Desirable.Infrastructure;

/// <summary>The synthesis program's command line.</summary>
public sealed record SynthesisArguments(StageName Stage, string OutputDirectory, bool Disposable)
{
    public const string Usage =
        "Usage: Desirable.Infrastructure [--stage <name>] [--out <folder>] [--disposable]\n" +
        "  --stage       the stage to name the stacks for (default: your user name)\n" +
        "  --out         where the templates go (default: cdk.out)\n" +
        "  --disposable  the stage's bucket and cluster are deleted with its stacks (developer and test stages)";

    public static bool TryParse(IReadOnlyList<string> args, out SynthesisArguments arguments, out string error)
    {
        arguments = null!;
        string? stage = null;
        var output = "cdk.out";
        var disposable = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--stage" when i + 1 < args.Count:
                    stage = args[++i];
                    break;
                case "--out" when i + 1 < args.Count:
                    output = args[++i];
                    break;
                case "--disposable":
                    disposable = true;
                    break;
                default:
                    error = $"Unknown or incomplete argument '{args[i]}'.";
                    return false;
            }
        }

        StageName name;
        if (stage is null)
        {
            name = StageName.ForUser(Environment.UserName);
        }
        else if (!StageName.TryParse(stage, out name, out error))
        {
            return false;
        }

        error = "";
        arguments = new SynthesisArguments(name, output, disposable);
        return true;
    }
}
