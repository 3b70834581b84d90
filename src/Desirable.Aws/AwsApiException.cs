using System.Net;

namespace Desirable.Aws;

/// <summary>An AWS service answered with an error document: its code (such as <c>ValidationError</c>) and message.</summary>
public abstract class AwsApiException(string service, string code, string message, HttpStatusCode statusCode)
    : Exception($"{service} {code}: {message}")
{
    public string Code { get; } = code;

    /// <summary>The service's own sentence, without the code.</summary>
    public string Reason { get; } = message;

    public HttpStatusCode StatusCode { get; } = statusCode;
}
