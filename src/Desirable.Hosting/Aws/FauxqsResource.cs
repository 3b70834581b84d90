namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// fauxqs, an npm package that emulates S3, SQS and SNS on one port, run as a Node process (no container).
/// </summary>
public sealed class FauxqsResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IAwsEmulatorResource
{
    public const string HttpEndpointName = "http";

    private EndpointReference? _endpoint;

    public EndpointReference Endpoint => _endpoint ??= new(this, HttpEndpointName);

    public string Region => AwsEmulatorDefaults.Region;

    /// <summary>Where fauxqs keeps S3 objects, and pending multipart uploads under <c>_multipart</c>.</summary>
    public string? S3Directory { get; init; }
}
