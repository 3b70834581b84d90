using System.Security.Cryptography;
using System.Text;

namespace Desirable.Aws.CloudFormation;

/// <summary>What one stack should be: its template, parameters and tags.</summary>
public sealed record StackDeployment(
    string StackName,
    string TemplateBody,
    IReadOnlyList<StackParameter> Parameters,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The stack tag that remembers which inputs the stack was last provisioned from.</summary>
    public const string InputsTag = "desirable:inputs-sha256";

    /// <summary>
    /// A hash of the template, parameters and tags: equal hashes mean there is nothing to provision. Parameter values
    /// (NoEcho ones too) only enter through the hash, which cannot be turned back into them.
    /// </summary>
    public string InputsHash()
    {
        var text = new StringBuilder(TemplateBody).Append('\0');
        foreach (var parameter in Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(parameter.Key).Append('=').Append(parameter.UsePreviousValue ? "\u0001previous" : parameter.Value).Append('\0');
        }

        foreach (var (key, value) in Tags.Where(t => t.Key != InputsTag).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append(':').Append(value).Append('\0');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>How a deployment ended.</summary>
public enum StackDeploymentOutcome
{
    Created,
    Updated,

    /// <summary>Template, parameters and tags were those of the last deployment, or the change set had no changes.</summary>
    Unchanged,
}

public sealed record StackDeploymentResult(StackDeploymentOutcome Outcome, StackDescription Stack);

/// <summary>Why a stack could not be provisioned, deleted or checked, in a sentence a user can act on.</summary>
public sealed class StackDeploymentException(string message, Exception? inner = null) : Exception(message, inner);
