using System.Net;

namespace Desirable.Aws.Sns;

/// <summary>SNS answered with an error document (or not at all with a success).</summary>
public sealed class SnsException(string code, string message, HttpStatusCode statusCode) : AwsApiException("SNS", code, message, statusCode);
