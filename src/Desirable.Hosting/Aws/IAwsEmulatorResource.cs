namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A local stand-in for AWS that speaks the AWS APIs on one HTTP endpoint (fauxqs now, LocalStack or Floci in
/// containers mode). Services reach it through the standard AWS settings, so their code is the same as on AWS.
/// </summary>
public interface IAwsEmulatorResource : IResourceWithEndpoints, IResourceWithWaitSupport
{
    /// <summary>The endpoint that serves every emulated AWS service.</summary>
    EndpointReference Endpoint { get; }

    /// <summary>Region the emulator answers for; emulators accept any credentials, these are fixed.</summary>
    string Region { get; }
}

/// <summary>Fixed settings shared by every AWS emulator.</summary>
public static class AwsEmulatorDefaults
{
    public const string Region = "us-east-1";
    public const string AccessKeyId = "test";
    public const string SecretAccessKey = "test";

    /// <summary>The account every emulator answers for; it appears in ARNs.</summary>
    public const string AccountId = "000000000000";

    public static string TopicArn(string topicName, string region = Region) => $"arn:aws:sns:{region}:{AccountId}:{topicName}";
}
