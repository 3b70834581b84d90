namespace Desirable.Aws.CloudFormation;

/// <summary>A stack as DescribeStacks returns it.</summary>
public sealed record StackDescription(
    string StackId,
    string StackName,
    string Status,
    string? StatusReason,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>Nothing is under way: the stack can take a change set (or, for ROLLBACK_COMPLETE, only a delete).</summary>
    public bool IsSettled => !Status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal);
}

/// <summary>A template parameter's value, or the stack's current value kept.</summary>
public sealed record StackParameter(string Key, string? Value, bool UsePreviousValue = false);

/// <summary>What CreateChangeSet takes. Exactly one of <see cref="TemplateBody"/> and <see cref="TemplateUrl"/>.</summary>
public sealed record ChangeSetRequest(
    string StackName,
    string ChangeSetName,
    bool IsCreate,
    string? TemplateBody,
    Uri? TemplateUrl,
    IReadOnlyList<StackParameter> Parameters,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Capabilities);

/// <summary>CreateChangeSet's answer.</summary>
public sealed record ChangeSetCreated(string ChangeSetId, string StackId);

/// <summary>A change set with all its changes (DescribeChangeSet, every page).</summary>
public sealed record ChangeSetDescription(
    string ChangeSetId,
    string Status,
    string? StatusReason,
    string ExecutionStatus,
    IReadOnlyList<ResourceChange> Changes);

/// <summary>
/// One resource's change: <see cref="Action"/> is Add, Modify, Remove, Import or Dynamic; <see cref="Replacement"/> is
/// True, False or Conditional (Modify only).
/// </summary>
public sealed record ResourceChange(string Action, string LogicalResourceId, string? PhysicalResourceId, string ResourceType, string? Replacement)
{
    /// <summary>The resource, and what it held, may be gone after the change.</summary>
    public bool LosesTheResource => Action == "Remove" || Replacement is "True" or "Conditional";
}

/// <summary>One stack event, as the console's Events tab shows it.</summary>
public sealed record StackEvent(
    string EventId,
    DateTimeOffset Timestamp,
    string LogicalResourceId,
    string ResourceType,
    string ResourceStatus,
    string? ResourceStatusReason);

/// <summary>DescribeStackDriftDetectionStatus's answer.</summary>
public sealed record DriftDetection(string DetectionId, string DetectionStatus, string? StackDriftStatus, string? Reason)
{
    public bool IsComplete => DetectionStatus is "DETECTION_COMPLETE" or "DETECTION_FAILED";
}

/// <summary>A resource whose live configuration differs from the template (MODIFIED) or that is gone (DELETED).</summary>
public sealed record ResourceDrift(string LogicalResourceId, string? PhysicalResourceId, string ResourceType, string DriftStatus, IReadOnlyList<string> Differences);
