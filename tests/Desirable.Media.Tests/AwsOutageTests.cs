using System.Net;
using Amazon.Runtime;
using Amazon.S3;

namespace Desirable.Media.Tests;

/// <summary>Which AWS failures are waited out (an outage) and which are faults to fix.</summary>
public sealed class AwsOutageTests
{
    public static TheoryData<string, Exception, bool> Failures => new()
    {
        { "connection refused", new HttpRequestException("Connection refused"), true },
        { "response cut off", new IOException("The response ended prematurely."), true },
        { "no credentials from the task role", new AmazonClientException("Failed to resolve AWS credentials."), true },
        { "SDK timeout", new TaskCanceledException("timeout", new TimeoutException()), true },
        { "S3 internal error", new AmazonS3Exception("We encountered an internal error.") { StatusCode = HttpStatusCode.InternalServerError }, true },
        { "S3 unavailable", new AmazonS3Exception("Service Unavailable") { StatusCode = HttpStatusCode.ServiceUnavailable }, true },
        { "S3 slow down", new AmazonS3Exception("Please reduce your request rate.") { StatusCode = HttpStatusCode.ServiceUnavailable, ErrorCode = "SlowDown" }, true },
        { "access denied", new AmazonS3Exception("Access Denied") { StatusCode = HttpStatusCode.Forbidden, ErrorCode = "AccessDenied" }, false },
        { "no such bucket", new AmazonS3Exception("The specified bucket does not exist") { StatusCode = HttpStatusCode.NotFound, ErrorCode = "NoSuchBucket" }, false },
        { "caller cancelled", new OperationCanceledException(), false },
        { "a bug", new InvalidOperationException(), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void TellsAnOutageFromAFault(string failure, Exception exception, bool outage) =>
        Assert.True(AwsOutage.Is(exception) == outage, $"{failure}: expected {(outage ? "an outage" : "a fault")}.");
}
