using System.Net;

namespace Desirable.Aws.CloudFormation;

/// <summary>CloudFormation answered with an error document, such as <c>ValidationError</c>.</summary>
public sealed class CloudFormationException(string code, string message, HttpStatusCode statusCode)
    : AwsApiException("CloudFormation", code, message, statusCode)
{
    /// <summary>DescribeStacks and friends answer a missing stack with a ValidationError that says so.</summary>
    public bool IsStackMissing => Code == "ValidationError" && Reason.Contains("does not exist", StringComparison.Ordinal);
}
