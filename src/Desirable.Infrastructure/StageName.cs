using System.Text;
using System.Text.RegularExpressions;

namespace Desirable.Infrastructure;

/// <summary>
/// A stage is one copy of Desirable in an AWS account (a developer's, staging, production), as in SST. Its name is
/// part of every stack and resource name, so it must suit the strictest of them: S3 bucket names (lowercase letters,
/// digits and hyphens) within 63 characters including the account id and region.
/// </summary>
public sealed partial record StageName
{
    /// <summary>Leaves room in a bucket name for <c>desirable-</c>, <c>-media-</c>, a 12-digit account and the longest region.</summary>
    public const int MaxLength = 16;

    private StageName(string value) => Value = value;

    public string Value { get; }

    /// <summary>Validates a stage name; the exception's message says what is wrong in a sentence a user can act on.</summary>
    public static StageName Parse(string? value)
    {
        if (!TryParse(value, out var stage, out var error))
        {
            throw new ArgumentException(error, nameof(value));
        }

        return stage;
    }

    public static bool TryParse(string? value, out StageName stage, out string error)
    {
        stage = null!;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "The stage name is empty. Give one such as 'alice' or 'staging'.";
            return false;
        }

        if (value.Length > MaxLength)
        {
            error = $"The stage name '{value}' is {value.Length} characters long; AWS bucket names leave room for at most {MaxLength}.";
            return false;
        }

        if (!Pattern().IsMatch(value))
        {
            error = $"The stage name '{value}' cannot be used in AWS resource names: use lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen.";
            return false;
        }

        error = "";
        stage = new StageName(value);
        return true;
    }

    /// <summary>
    /// A personal stage named after the signed-in user, as SST's personal stages are: lowercased, anything that is
    /// not a letter or digit becomes a hyphen, cut to <see cref="MaxLength"/>.
    /// </summary>
    public static StageName ForUser(string userName)
    {
        var name = new StringBuilder();
        foreach (var c in userName.ToLowerInvariant())
        {
            var keep = c is >= 'a' and <= 'z' or >= '0' and <= '9';
            if (keep || (name.Length > 0 && name[^1] != '-'))
            {
                name.Append(keep ? c : '-');
            }
        }

        var value = name.ToString();
        if (value.Length == 0 || !char.IsAsciiLetterLower(value[0]))
        {
            value = "dev-" + value;
        }

        value = value[..Math.Min(value.Length, MaxLength)].TrimEnd('-');
        return Parse(value);
    }

    /// <summary>The CloudFormation stack name of one of the stage's stacks: <c>desirable-{stage}-{stack}</c>.</summary>
    public string StackName(string stack) => $"desirable-{Value}-{stack}";

    public override string ToString() => Value;

    [GeneratedRegex("^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$")]
    private static partial Regex Pattern();
}
