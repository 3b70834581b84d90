namespace Desirable.Aws.CloudFormation;

public sealed class StackDeployerOptions
{
    /// <summary>CloudFormation's limit for a template sent inline; larger ones go through <see cref="StageTemplateAsync"/>.</summary>
    public const int MaxTemplateBodyBytes = 51_200;

    /// <summary>How often stack, change set and drift states are read while waiting.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one wait (a change set, an execution, a delete, a stack already busy) may take before giving up.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Uploads a template too large to send inline and returns its URL (an S3 staging bucket).</summary>
    public Func<string, string, CancellationToken, Task<Uri>>? StageTemplateAsync { get; init; }

    /// <summary>Resource types whose replacement or removal loses data, so it waits for an approval.</summary>
    public IReadOnlySet<string> DataHoldingTypes { get; init; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "AWS::S3::Bucket",
        "AWS::SQS::Queue",
        "AWS::SNS::Topic",
        "AWS::SecretsManager::Secret",
        "MongoDB::Atlas::Cluster",
        "MongoDB::Atlas::Project",
    };

    public IReadOnlyList<string> Capabilities { get; init; } = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"];
}
