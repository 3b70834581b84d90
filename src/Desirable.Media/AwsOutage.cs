using Amazon.Runtime;

namespace Desirable.Media;

/// <summary>
/// Which failures of an AWS call mean "AWS is not answering right now" (S3, SQS or SNS down, unreachable, throttling
/// or failing on its side, credentials not obtainable) rather than "this request is wrong" (access denied, no such
/// bucket): the first kind is waited out and retried, the second is a fault to fix.
/// </summary>
public static class AwsOutage
{
    public static bool Is(Exception exception) => exception switch
    {
        AmazonServiceException { StatusCode: >= System.Net.HttpStatusCode.InternalServerError } => true,
        AmazonServiceException { ErrorCode: "SlowDown" or "Throttling" or "ThrottlingException" or "RequestTimeout" } => true,
        AmazonServiceException => false,
        // The SDK's own: no connection, no credentials from the instance or task role, a response cut off.
        AmazonClientException or HttpRequestException or IOException or TimeoutException => true,
        // The SDK's timeout for one request (not a caller's cancellation, which callers check before asking).
        TaskCanceledException { InnerException: TimeoutException } => true,
        _ => false,
    };
}
