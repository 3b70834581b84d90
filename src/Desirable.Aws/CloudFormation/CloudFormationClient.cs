using System.Globalization;
using System.Xml.Linq;
using Desirable.Aws.Query;
using static Desirable.Aws.Query.AwsQueryClient;

namespace Desirable.Aws.CloudFormation;

/// <summary>
/// The CloudFormation actions Desirable provisions stages with (AWSSDK.CloudFormation is not available), over the
/// Query protocol: change sets, stacks, their events, drift detection. One call per method; waiting and deciding
/// what to do with a stack's state is <see cref="StackDeployer"/>'s job.
/// </summary>
public sealed class CloudFormationClient
{
    private readonly AwsQueryClient _query;

    public CloudFormationClient(HttpClient http, AwsQueryClientOptions? options = null, TimeProvider? time = null) =>
        _query = new AwsQueryClient(http, "cloudformation", "2010-05-15", options,
            (code, message, status) => new CloudFormationException(code, message, status), time);

    public string Region => _query.Region;

    public Uri ServiceUrl => _query.ServiceUrl;

    /// <summary>The stack, or null when there is none by that name (or it was deleted).</summary>
    public async Task<StackDescription?> DescribeStackAsync(string stackName, CancellationToken cancellationToken = default)
    {
        XElement result;
        try
        {
            result = await _query.SendAsync("DescribeStacks", [new("StackName", stackName)], cancellationToken);
        }
        catch (CloudFormationException e) when (e.IsStackMissing)
        {
            return null;
        }

        var stack = Members(result, "Stacks").FirstOrDefault();
        if (stack is null || Child(stack, "StackStatus") == "DELETE_COMPLETE")
        {
            return null;
        }

        return new StackDescription(
            Child(stack, "StackId") ?? "",
            Child(stack, "StackName") ?? stackName,
            Child(stack, "StackStatus") ?? "",
            Child(stack, "StackStatusReason"),
            Members(stack, "Outputs").ToDictionary(o => Child(o, "OutputKey") ?? "", o => Child(o, "OutputValue") ?? "", StringComparer.Ordinal),
            Members(stack, "Tags").ToDictionary(t => Child(t, "Key") ?? "", t => Child(t, "Value") ?? "", StringComparer.Ordinal));
    }

    public async Task<ChangeSetCreated> CreateChangeSetAsync(ChangeSetRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var form = new List<KeyValuePair<string, string>>
        {
            new("StackName", request.StackName),
            new("ChangeSetName", request.ChangeSetName),
            new("ChangeSetType", request.IsCreate ? "CREATE" : "UPDATE"),
        };
        if (request.TemplateUrl is { } url)
        {
            form.Add(new("TemplateURL", url.ToString()));
        }
        else
        {
            form.Add(new("TemplateBody", request.TemplateBody ?? throw new ArgumentException("A change set needs a template body or URL.", nameof(request))));
        }

        AddMembers(form, "Parameters", request.Parameters, p => p.UsePreviousValue
            ? [("ParameterKey", p.Key), ("UsePreviousValue", "true")]
            : [("ParameterKey", p.Key), ("ParameterValue", p.Value ?? "")]);
        AddMembers(form, "Tags", request.Tags, t => [("Key", t.Key), ("Value", t.Value)]);
        AddMembers(form, "Capabilities", request.Capabilities, c => [("", c)]);

        var result = await _query.SendAsync("CreateChangeSet", form, cancellationToken);
        return new ChangeSetCreated(Child(result, "Id") ?? "", Child(result, "StackId") ?? "");
    }

    /// <summary>The change set with every page of its changes.</summary>
    public async Task<ChangeSetDescription> DescribeChangeSetAsync(string stackName, string changeSetName, CancellationToken cancellationToken = default)
    {
        var changes = new List<ResourceChange>();
        string? next = null;
        XElement result;
        do
        {
            var form = new List<KeyValuePair<string, string>> { new("StackName", stackName), new("ChangeSetName", changeSetName) };
            if (next is not null)
            {
                form.Add(new("NextToken", next));
            }

            result = await _query.SendAsync("DescribeChangeSet", form, cancellationToken);
            foreach (var change in Members(result, "Changes"))
            {
                var resource = change.Elements().FirstOrDefault(e => e.Name.LocalName == "ResourceChange");
                changes.Add(new ResourceChange(
                    Child(resource, "Action") ?? "",
                    Child(resource, "LogicalResourceId") ?? "",
                    Child(resource, "PhysicalResourceId"),
                    Child(resource, "ResourceType") ?? "",
                    Child(resource, "Replacement")));
            }

            next = Child(result, "NextToken");
        }
        while (!string.IsNullOrEmpty(next));

        return new ChangeSetDescription(
            Child(result, "ChangeSetId") ?? "",
            Child(result, "Status") ?? "",
            Child(result, "StatusReason"),
            Child(result, "ExecutionStatus") ?? "",
            changes);
    }

    public Task ExecuteChangeSetAsync(string stackName, string changeSetName, CancellationToken cancellationToken = default) =>
        _query.SendAsync("ExecuteChangeSet", [new("StackName", stackName), new("ChangeSetName", changeSetName)], cancellationToken);

    public Task DeleteChangeSetAsync(string stackName, string changeSetName, CancellationToken cancellationToken = default) =>
        _query.SendAsync("DeleteChangeSet", [new("StackName", stackName), new("ChangeSetName", changeSetName)], cancellationToken);

    public Task DeleteStackAsync(string stackName, CancellationToken cancellationToken = default) =>
        _query.SendAsync("DeleteStack", [new("StackName", stackName)], cancellationToken);

    /// <summary>The stack's events, newest first, as far back as <paramref name="maxPages"/> pages go.</summary>
    public async Task<IReadOnlyList<StackEvent>> DescribeStackEventsAsync(string stackName, int maxPages = 1, CancellationToken cancellationToken = default)
    {
        var events = new List<StackEvent>();
        string? next = null;
        for (var page = 0; page < maxPages; page++)
        {
            var form = new List<KeyValuePair<string, string>> { new("StackName", stackName) };
            if (next is not null)
            {
                form.Add(new("NextToken", next));
            }

            var result = await _query.SendAsync("DescribeStackEvents", form, cancellationToken);
            events.AddRange(Members(result, "StackEvents").Select(e => new StackEvent(
                Child(e, "EventId") ?? "",
                DateTimeOffset.Parse(Child(e, "Timestamp") ?? "", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                Child(e, "LogicalResourceId") ?? "",
                Child(e, "ResourceType") ?? "",
                Child(e, "ResourceStatus") ?? "",
                Child(e, "ResourceStatusReason"))));
            next = Child(result, "NextToken");
            if (string.IsNullOrEmpty(next))
            {
                break;
            }
        }

        return events;
    }

    /// <summary>Starts drift detection; returns its id.</summary>
    public async Task<string> DetectStackDriftAsync(string stackName, CancellationToken cancellationToken = default) =>
        Child(await _query.SendAsync("DetectStackDrift", [new("StackName", stackName)], cancellationToken), "StackDriftDetectionId")
        ?? throw new CloudFormationException("InvalidResponse", "No StackDriftDetectionId in the answer.", System.Net.HttpStatusCode.OK);

    public async Task<DriftDetection> DescribeStackDriftDetectionStatusAsync(string detectionId, CancellationToken cancellationToken = default)
    {
        var result = await _query.SendAsync("DescribeStackDriftDetectionStatus", [new("StackDriftDetectionId", detectionId)], cancellationToken);
        return new DriftDetection(detectionId, Child(result, "DetectionStatus") ?? "", Child(result, "StackDriftStatus"), Child(result, "DetectionStatusReason"));
    }

    /// <summary>The resources that drifted (MODIFIED or DELETED), every page.</summary>
    public async Task<IReadOnlyList<ResourceDrift>> DescribeDriftedResourcesAsync(string stackName, CancellationToken cancellationToken = default)
    {
        var drifts = new List<ResourceDrift>();
        string? next = null;
        do
        {
            var form = new List<KeyValuePair<string, string>> { new("StackName", stackName) };
            AddMembers(form, "StackResourceDriftStatusFilters", ["MODIFIED", "DELETED"], s => [("", s)]);
            if (next is not null)
            {
                form.Add(new("NextToken", next));
            }

            var result = await _query.SendAsync("DescribeStackResourceDrifts", form, cancellationToken);
            drifts.AddRange(Members(result, "StackResourceDrifts").Select(d => new ResourceDrift(
                Child(d, "LogicalResourceId") ?? "",
                Child(d, "PhysicalResourceId"),
                Child(d, "ResourceType") ?? "",
                Child(d, "StackResourceDriftStatus") ?? "",
                [.. Members(d, "PropertyDifferences").Select(p =>
                    $"{Child(p, "PropertyPath")}: expected {Child(p, "ExpectedValue")}, actual {Child(p, "ActualValue")} ({Child(p, "DifferenceType")})")])));
            next = Child(result, "NextToken");
        }
        while (!string.IsNullOrEmpty(next));

        return drifts;
    }
}
