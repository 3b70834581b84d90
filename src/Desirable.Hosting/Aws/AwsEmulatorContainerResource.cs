namespace Aspire.Hosting.ApplicationModel;

/// <summary>Which container stands in for AWS in containers mode.</summary>
public enum AwsEmulatorImage
{
    /// <summary>Floci: MIT licensed, no account or token, LocalStack's wire protocol and port.</summary>
    Floci,

    /// <summary>LocalStack: needs an auth token since March 2026.</summary>
    LocalStack,
}

/// <summary>
/// An AWS emulator container (Floci or LocalStack) serving S3, SQS and SNS on one HTTP endpoint, like fauxqs does
/// in embedded mode; services get the same standard AWS settings from either.
/// </summary>
public sealed class AwsEmulatorContainerResource(string name, AwsEmulatorImage image)
    : ContainerResource(name), IAwsEmulatorResource
{
    public const string HttpEndpointName = "http";

    /// <summary>Both images listen on LocalStack's edge port inside the container.</summary>
    public const int ContainerPort = 4566;

    private EndpointReference? _endpoint;

    public AwsEmulatorImage Image { get; } = image;

    public EndpointReference Endpoint => _endpoint ??= new(this, HttpEndpointName);

    public string Region => AwsEmulatorDefaults.Region;
}
