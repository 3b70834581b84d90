using System.Collections.Concurrent;
using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Desirable.Testing;

/// <summary>
/// A test double of CloudFormation's Query endpoint on real Kestrel (no CloudFormation is reachable here): it answers
/// with the documented XML shapes and walks stacks and change sets through their states, one step per DescribeStacks
/// or DescribeChangeSet call. Tests make it fail where AWS can: a resource that fails, a rollback that fails, a
/// delete that fails, throttling. Every test that uses it says "Fake" in its name.
/// </summary>
public sealed class FakeCloudFormation : IAsyncDisposable
{
    private const string Ns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
    private static readonly string[] ReplacementProperties = ["BucketName", "QueueName", "TopicName", "Name"];

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeStack> _stacks = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<string, string> _staged = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _changeSetRequests = new(StringComparer.Ordinal);
    private int _throttle;
    private int _sequence;

    private FakeCloudFormation(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Every action received, in order.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Resources that fail to create or update, with the reason CloudFormation would give.</summary>
    public Dictionary<string, string> FailingResources { get; } = new(StringComparer.Ordinal);

    /// <summary>A failed update's rollback fails too (UPDATE_ROLLBACK_FAILED).</summary>
    public bool RollbackFails { get; set; }

    /// <summary>Deleting fails (DELETE_FAILED), with this reason.</summary>
    public string? DeleteFailure { get; set; }

    /// <summary>Logical ids drift detection reports as MODIFIED.</summary>
    public List<string> DriftedResources { get; } = [];

    /// <summary>The form of the last CreateChangeSet.</summary>
    public IReadOnlyDictionary<string, string> LastChangeSetRequest { get; private set; } = new Dictionary<string, string>();

    /// <summary>The parameters of the last change set made for <paramref name="stackName"/>, by key.</summary>
    public IReadOnlyDictionary<string, string> ParametersOf(string stackName)
    {
        var form = _changeSetRequests.GetValueOrDefault(stackName) ?? new Dictionary<string, string>();
        return form.Where(p => p.Key.EndsWith(".ParameterKey", StringComparison.Ordinal)).ToDictionary(
            p => p.Value,
            p => form.GetValueOrDefault(p.Key.Replace(".ParameterKey", ".ParameterValue", StringComparison.Ordinal)) ?? "",
            StringComparer.Ordinal);
    }

    public static async Task<FakeCloudFormation> StartAsync()
    {
        FakeCloudFormation? fake = null;
        var (app, url) = await FakeEndpoint.StartAsync(routes => routes.MapPost("/", (HttpContext context) => fake!.HandleAsync(context)));
        fake = new FakeCloudFormation(app) { Url = url };
        return fake;
    }

    /// <summary>The next <paramref name="count"/> calls are throttled.</summary>
    public void Throttle(int count) => Interlocked.Exchange(ref _throttle, count);

    /// <summary>Puts a stack in a state, as if earlier operations had left it there.</summary>
    public void Seed(
        string name, string status, string template = """{"Resources":{}}""", int stepsUntilSettled = 0, string? settlesAs = null, IReadOnlyDictionary<string, string>? tags = null)
    {
        var stack = new FakeStack(name, $"arn:aws:cloudformation:us-east-1:123456789012:stack/{name}/{Guid.NewGuid()}")
        {
            Status = status,
            Template = JsonNode.Parse(template)!.AsObject(),
            StepsLeft = stepsUntilSettled,
            SettlesAs = settlesAs,
            Tags = new Dictionary<string, string>(tags ?? new Dictionary<string, string>(), StringComparer.Ordinal),
        };
        _stacks[name] = stack;
    }

    public string? StatusOf(string name) => _stacks.TryGetValue(name, out var s) ? s.Status : null;

    public int CallsOf(string action) => Calls.Count(c => c == action);

    /// <summary>
    /// Keeps a template too large to send inline where a change set's TemplateURL can name it, as the staging bucket
    /// does for CloudFormation; returns that URL.
    /// </summary>
    public Task<Uri> StageTemplateAsync(string stackName, string body, CancellationToken cancellationToken)
    {
        var url = new Uri($"https://staging.fake.invalid/{stackName}/{_staged.Count}.template.json");
        _staged[url.ToString()] = body;
        return Task.FromResult(url);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var form = (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var action = form.GetValueOrDefault("Action") ?? "";
        Calls.Enqueue(action);

        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("AWS4-HMAC-SHA256 Credential=", StringComparison.Ordinal) || !authorization.Contains("/cloudformation/aws4_request", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 403, "IncompleteSignature", "The request must be signed with Signature Version 4 for cloudformation.");
            return;
        }

        if (form.GetValueOrDefault("Version") != "2010-05-15")
        {
            await ErrorAsync(context, 400, "InvalidParameterValue", "Version must be 2010-05-15.");
            return;
        }

        if (Interlocked.Decrement(ref _throttle) >= 0)
        {
            await ErrorAsync(context, 400, "Throttling", "Rate exceeded");
            return;
        }

        string body;
        try
        {
            body = Answer(action, form);
        }
        catch (FakeError e)
        {
            await ErrorAsync(context, 400, e.Code, e.Message);
            return;
        }

        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync($"<{action}Response xmlns=\"{Ns}\"><{action}Result>{body}</{action}Result><ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata></{action}Response>");
    }

    private string Answer(string action, Dictionary<string, string> form)
    {
        lock (_gate)
        {
            return action switch
            {
                "DescribeStacks" => DescribeStacks(form),
                "CreateChangeSet" => CreateChangeSet(form),
                "DescribeChangeSet" => DescribeChangeSet(form),
                "ExecuteChangeSet" => ExecuteChangeSet(form),
                "DeleteChangeSet" => DeleteChangeSet(form),
                "DeleteStack" => DeleteStack(form),
                "DescribeStackEvents" => DescribeStackEvents(form),
                "DetectStackDrift" => DetectStackDrift(form),
                "DescribeStackDriftDetectionStatus" => DescribeDriftStatus(form),
                "DescribeStackResourceDrifts" => DescribeResourceDrifts(form),
                _ => throw new FakeError("InvalidAction", $"The action {action} is not valid for this web service."),
            };
        }
    }

    private string DescribeStacks(Dictionary<string, string> form)
    {
        var stack = Find(form["StackName"], byIdAfterDelete: true);
        Advance(stack);
        var outputs = string.Concat(stack.Outputs.Select(o => $"<member><OutputKey>{o.Key}</OutputKey><OutputValue>{X(o.Value)}</OutputValue></member>"));
        var tags = string.Concat(stack.Tags.Select(t => $"<member><Key>{X(t.Key)}</Key><Value>{X(t.Value)}</Value></member>"));
        var reason = stack.StatusReason is null ? "" : $"<StackStatusReason>{X(stack.StatusReason)}</StackStatusReason>";
        return $"<Stacks><member><StackId>{stack.Id}</StackId><StackName>{stack.Name}</StackName><StackStatus>{stack.Status}</StackStatus>{reason}" +
            $"<CreationTime>2026-12-02T10:00:00.000Z</CreationTime><Outputs>{outputs}</Outputs><Tags>{tags}</Tags></member></Stacks>";
    }

    private string CreateChangeSet(Dictionary<string, string> form)
    {
        LastChangeSetRequest = form;
        if (form.GetValueOrDefault("StackName") is { } requested)
        {
            _changeSetRequests[requested] = form;
        }
        var name = form["StackName"];
        var isCreate = form["ChangeSetType"] == "CREATE";
        _stacks.TryGetValue(name, out var stack);
        if (stack is { Status: "DELETE_COMPLETE" })
        {
            stack = null;
        }

        if (isCreate && stack is not null && stack.Status != "REVIEW_IN_PROGRESS")
        {
            throw new FakeError("ValidationError", $"Stack [{name}] already exists and cannot be created again with the changeSet [{form["ChangeSetName"]}].");
        }

        if (!isCreate && stack is null)
        {
            throw new FakeError("ValidationError", $"Stack [{name}] does not exist");
        }

        if (stack is not null && stack.Status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) && stack.Status != "REVIEW_IN_PROGRESS")
        {
            throw new FakeError("ValidationError", $"Stack:{stack.Id} is in {stack.Status} state and can not be updated.");
        }

        var text = form.GetValueOrDefault("TemplateBody")
            ?? (form.GetValueOrDefault("TemplateURL") is { } templateUrl && _staged.TryGetValue(templateUrl, out var staged) ? staged : null)
            ?? $"{{\"Resources\":{{\"Staged\":{{\"Type\":\"AWS::SQS::Queue\",\"Properties\":{{\"From\":\"{form.GetValueOrDefault("TemplateURL")}\"}}}}}}}}";
        JsonObject template;
        try
        {
            template = JsonNode.Parse(text)!.AsObject();
        }
        catch (System.Text.Json.JsonException)
        {
            throw new FakeError("ValidationError", "Template format error: JSON not well-formed.");
        }

        var unknown = Resources(template).Select(r => r.Value!["Type"]!.GetValue<string>()).Where(t => !t.StartsWith("AWS::", StringComparison.Ordinal) && !t.StartsWith("MongoDB::", StringComparison.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new FakeError("ValidationError", $"Template format error: Unrecognized resource types: [{string.Join(",", unknown)}]");
        }

        if (stack is null)
        {
            stack = new FakeStack(name, $"arn:aws:cloudformation:us-east-1:123456789012:stack/{name}/{Guid.NewGuid()}") { Status = "REVIEW_IN_PROGRESS" };
            _stacks[name] = stack;
        }

        var changeSet = new FakeChangeSet(form["ChangeSetName"], $"arn:aws:cloudformation:us-east-1:123456789012:changeSet/{form["ChangeSetName"]}/{Guid.NewGuid()}", template, isCreate)
        {
            Tags = Members(form, "Tags", "Key").Zip(Members(form, "Tags", "Value")).ToDictionary(t => t.First, t => t.Second, StringComparer.Ordinal),
            Changes = Diff(stack.Template, template),
        };
        if (Resources(template).Count == 0)
        {
            changeSet.FailureReason = "Template format error: At least one Resources member must be defined.";
        }
        else if (changeSet.Changes.Count == 0 && stack.Tags.SequenceEqual(changeSet.Tags))
        {
            changeSet.FailureReason = "The submitted information didn't contain changes. Submit different information to create a change set.";
        }

        stack.ChangeSets[changeSet.Name] = changeSet;
        return $"<Id>{changeSet.Id}</Id><StackId>{stack.Id}</StackId>";
    }

    private string DescribeChangeSet(Dictionary<string, string> form)
    {
        var stack = Find(form["StackName"]);
        var changeSet = stack.ChangeSets.GetValueOrDefault(form["ChangeSetName"])
            ?? throw new FakeError("ChangeSetNotFound", $"ChangeSet [{form["ChangeSetName"]}] does not exist");
        changeSet.Status = changeSet.Status switch
        {
            "CREATE_PENDING" => "CREATE_IN_PROGRESS",
            "CREATE_IN_PROGRESS" => changeSet.FailureReason is null ? "CREATE_COMPLETE" : "FAILED",
            var s => s,
        };

        // Two changes a page, so that paging is exercised.
        var start = form.TryGetValue("NextToken", out var token) ? int.Parse(token, CultureInfo.InvariantCulture) : 0;
        var page = changeSet.Status == "CREATE_COMPLETE" ? changeSet.Changes.Skip(start).Take(2).ToList() : [];
        var changes = string.Concat(page.Select(c =>
            $"<member><Type>Resource</Type><ResourceChange><Action>{c.Action}</Action><LogicalResourceId>{c.LogicalId}</LogicalResourceId>" +
            $"<ResourceType>{c.Type}</ResourceType>{(c.Replacement is null ? "" : $"<Replacement>{c.Replacement}</Replacement>")}</ResourceChange></member>"));
        var next = changeSet.Status == "CREATE_COMPLETE" && start + 2 < changeSet.Changes.Count ? $"<NextToken>{start + 2}</NextToken>" : "";
        var reason = changeSet.Status == "FAILED" ? $"<StatusReason>{X(changeSet.FailureReason!)}</StatusReason>" : "";
        var execution = changeSet.Status == "CREATE_COMPLETE" ? "AVAILABLE" : "UNAVAILABLE";
        return $"<ChangeSetName>{changeSet.Name}</ChangeSetName><ChangeSetId>{changeSet.Id}</ChangeSetId><StackId>{stack.Id}</StackId>" +
            $"<StackName>{stack.Name}</StackName><Status>{changeSet.Status}</Status>{reason}<ExecutionStatus>{execution}</ExecutionStatus><Changes>{changes}</Changes>{next}";
    }

    private string ExecuteChangeSet(Dictionary<string, string> form)
    {
        var stack = Find(form["StackName"]);
        var changeSet = stack.ChangeSets.GetValueOrDefault(form["ChangeSetName"])
            ?? throw new FakeError("ChangeSetNotFound", $"ChangeSet [{form["ChangeSetName"]}] does not exist");
        if (changeSet.Status != "CREATE_COMPLETE")
        {
            throw new FakeError("InvalidChangeSetStatus", $"ChangeSet [{changeSet.Id}] cannot be executed in its current status of [{changeSet.Status}]");
        }

        stack.ChangeSets.Clear();
        stack.Pending = changeSet;
        stack.Status = changeSet.IsCreate ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS";
        stack.StepsLeft = Math.Max(1, changeSet.Changes.Count);
        AddEvent(stack, stack.Name, "AWS::CloudFormation::Stack", stack.Status, "User Initiated");
        return "";
    }

    private string DeleteChangeSet(Dictionary<string, string> form)
    {
        Find(form["StackName"]).ChangeSets.Remove(form["ChangeSetName"]);
        return "";
    }

    private string DeleteStack(Dictionary<string, string> form)
    {
        if (!TryFind(form["StackName"], out var stack) || stack.Status == "DELETE_COMPLETE")
        {
            return "";
        }

        stack.Status = "DELETE_IN_PROGRESS";
        stack.StepsLeft = 2;
        AddEvent(stack, stack.Name, "AWS::CloudFormation::Stack", stack.Status, "User Initiated");
        return "";
    }

    private string DescribeStackEvents(Dictionary<string, string> form)
    {
        var stack = Find(form["StackName"], byIdAfterDelete: true);
        return $"<StackEvents>{string.Concat(stack.Events.AsEnumerable().Reverse().Select(e => e))}</StackEvents>";
    }

    private string DetectStackDrift(Dictionary<string, string> form)
    {
        var stack = Find(form["StackName"]);
        if (stack.Status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
        {
            throw new FakeError("ValidationError", $"Stack {stack.Id} is in {stack.Status} state and drift detection cannot be performed.");
        }

        stack.DriftChecks = 0;
        return $"<StackDriftDetectionId>{stack.Name}|drift</StackDriftDetectionId>";
    }

    private string DescribeDriftStatus(Dictionary<string, string> form)
    {
        var stack = Find(form["StackDriftDetectionId"].Split('|')[0]);
        var done = ++stack.DriftChecks > 1;
        var drift = DriftedResources.Count > 0 ? "DRIFTED" : "IN_SYNC";
        return $"<StackId>{stack.Id}</StackId><StackDriftDetectionId>{form["StackDriftDetectionId"]}</StackDriftDetectionId>" +
            (done ? $"<StackDriftStatus>{drift}</StackDriftStatus><DetectionStatus>DETECTION_COMPLETE</DetectionStatus><DriftedStackResourceCount>{DriftedResources.Count}</DriftedStackResourceCount>"
                  : "<DetectionStatus>DETECTION_IN_PROGRESS</DetectionStatus>");
    }

    private string DescribeResourceDrifts(Dictionary<string, string> form)
    {
        var stack = Find(form["StackName"]);
        var drifts = DriftedResources.Select(id =>
            $"<member><StackId>{stack.Id}</StackId><LogicalResourceId>{id}</LogicalResourceId><PhysicalResourceId>{id.ToLowerInvariant()}</PhysicalResourceId>" +
            $"<ResourceType>{Resources(stack.Template).First(r => r.Key == id).Value!["Type"]}</ResourceType><StackResourceDriftStatus>MODIFIED</StackResourceDriftStatus>" +
            "<PropertyDifferences><member><PropertyPath>/VisibilityTimeout</PropertyPath><ExpectedValue>60</ExpectedValue><ActualValue>30</ActualValue><DifferenceType>NOT_EQUAL</DifferenceType></member></PropertyDifferences></member>");
        return $"<StackResourceDrifts>{string.Concat(drifts)}</StackResourceDrifts>";
    }

    /// <summary>One step of whatever the stack is doing: a resource event, or the end state.</summary>
    private void Advance(FakeStack stack)
    {
        if (!stack.Status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) || stack.Status == "REVIEW_IN_PROGRESS")
        {
            return;
        }

        if (stack.StepsLeft-- > 0)
        {
            if (stack.Pending is { } pending && pending.Changes.Count >= stack.StepsLeft + 1 && stack.Status is "CREATE_IN_PROGRESS" or "UPDATE_IN_PROGRESS")
            {
                var change = pending.Changes[pending.Changes.Count - stack.StepsLeft - 1];
                var failure = FailingResources.GetValueOrDefault(change.LogicalId);
                AddEvent(stack, change.LogicalId, change.Type, failure is null ? $"{(change.Action == "Add" ? "CREATE" : change.Action == "Remove" ? "DELETE" : "UPDATE")}_COMPLETE" : $"{(change.Action == "Add" ? "CREATE" : "UPDATE")}_FAILED", failure);
                if (failure is not null)
                {
                    stack.Status = stack.Status == "CREATE_IN_PROGRESS" ? "ROLLBACK_IN_PROGRESS" : "UPDATE_ROLLBACK_IN_PROGRESS";
                    stack.StepsLeft = 1;
                }
            }

            return;
        }

        stack.Status = stack.SettlesAs ?? stack.Status switch
        {
            "CREATE_IN_PROGRESS" => "CREATE_COMPLETE",
            "UPDATE_IN_PROGRESS" => "UPDATE_COMPLETE",
            "ROLLBACK_IN_PROGRESS" => "ROLLBACK_COMPLETE",
            "UPDATE_ROLLBACK_IN_PROGRESS" => RollbackFails ? "UPDATE_ROLLBACK_FAILED" : "UPDATE_ROLLBACK_COMPLETE",
            "DELETE_IN_PROGRESS" => DeleteFailure is null ? "DELETE_COMPLETE" : "DELETE_FAILED",
            var s => s,
        };
        stack.SettlesAs = null;
        stack.StatusReason = stack.Status == "DELETE_FAILED" ? DeleteFailure : stack.Status.Contains("ROLLBACK", StringComparison.Ordinal) ? "The following resource(s) failed: " + string.Join(", ", FailingResources.Keys) : null;
        if (stack.Status is "CREATE_COMPLETE" or "UPDATE_COMPLETE" && stack.Pending is { } done)
        {
            stack.Template = done.Template;
            stack.Tags = done.Tags;
            stack.Outputs = done.Template["Outputs"]?.AsObject().ToDictionary(o => o.Key, o => $"{stack.Name}-{o.Key}-value", StringComparer.Ordinal) ?? [];
        }

        stack.Pending = null;
        AddEvent(stack, stack.Name, "AWS::CloudFormation::Stack", stack.Status, stack.StatusReason);
    }

    private void AddEvent(FakeStack stack, string logicalId, string type, string status, string? reason)
    {
        var id = Interlocked.Increment(ref _sequence);
        stack.Events.Add($"<member><StackId>{stack.Id}</StackId><EventId>{id}</EventId><StackName>{stack.Name}</StackName><LogicalResourceId>{X(logicalId)}</LogicalResourceId>" +
            $"<ResourceType>{type}</ResourceType><Timestamp>{DateTimeOffset.UtcNow.AddMilliseconds(id):yyyy-MM-ddTHH:mm:ss.fffZ}</Timestamp><ResourceStatus>{status}</ResourceStatus>" +
            (reason is null ? "" : $"<ResourceStatusReason>{X(reason)}</ResourceStatusReason>") + "</member>");
    }

    private static List<FakeChange> Diff(JsonObject current, JsonObject next)
    {
        var before = Resources(current).ToDictionary(r => r.Key, r => r.Value!);
        var after = Resources(next).ToDictionary(r => r.Key, r => r.Value!);
        var changes = new List<FakeChange>();
        foreach (var (id, resource) in after)
        {
            if (!before.TryGetValue(id, out var old))
            {
                changes.Add(new("Add", id, resource["Type"]!.GetValue<string>(), null));
            }
            else if (!JsonNode.DeepEquals(old, resource))
            {
                var replaced = ReplacementProperties.Any(p => !JsonNode.DeepEquals(old["Properties"]?[p], resource["Properties"]?[p]));
                changes.Add(new("Modify", id, resource["Type"]!.GetValue<string>(), replaced ? "True" : "False"));
            }
        }

        changes.AddRange(before.Where(b => !after.ContainsKey(b.Key)).Select(b => new FakeChange("Remove", b.Key, b.Value["Type"]!.GetValue<string>(), null)));
        return changes;
    }

    private static JsonObject Resources(JsonObject template) =>
        template["Resources"]?.AsObject() ?? [];

    private static IEnumerable<string> Members(Dictionary<string, string> form, string list, string field) =>
        form.Where(f => f.Key.StartsWith($"{list}.member.", StringComparison.Ordinal) && f.Key.EndsWith($".{field}", StringComparison.Ordinal))
            .OrderBy(f => int.Parse(f.Key.Split('.')[2], CultureInfo.InvariantCulture))
            .Select(f => f.Value);

    private FakeStack Find(string nameOrId, bool byIdAfterDelete = false)
    {
        if (!TryFind(nameOrId, out var stack) || (stack.Status == "DELETE_COMPLETE" && !(byIdAfterDelete && nameOrId.StartsWith("arn:", StringComparison.Ordinal))))
        {
            throw new FakeError("ValidationError", $"Stack with id {nameOrId} does not exist");
        }

        return stack;
    }

    private bool TryFind(string nameOrId, out FakeStack stack)
    {
        stack = _stacks.Values.FirstOrDefault(s => s.Id == nameOrId) ?? _stacks.GetValueOrDefault(nameOrId)!;
        return stack is not null;
    }

    private static string X(string text) => SecurityElement.Escape(text);

    private static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        return context.Response.WriteAsync(
            $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{X(message)}</Message></Error><RequestId>{Guid.NewGuid()}</RequestId></ErrorResponse>",
            Encoding.UTF8);
    }

    private sealed class FakeStack(string name, string id)
    {
        public string Name { get; } = name;

        public string Id { get; } = id;

        public string Status { get; set; } = "";

        public string? StatusReason { get; set; }

        public string? SettlesAs { get; set; }

        public int StepsLeft { get; set; }

        public int DriftChecks { get; set; }

        public JsonObject Template { get; set; } = new() { ["Resources"] = new JsonObject() };

        public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Outputs { get; set; } = new(StringComparer.Ordinal);

        public Dictionary<string, FakeChangeSet> ChangeSets { get; } = new(StringComparer.Ordinal);

        public FakeChangeSet? Pending { get; set; }

        public List<string> Events { get; } = [];
    }

    private sealed class FakeChangeSet(string name, string id, JsonObject template, bool isCreate)
    {
        public string Name { get; } = name;

        public string Id { get; } = id;

        public JsonObject Template { get; } = template;

        public bool IsCreate { get; } = isCreate;

        public string Status { get; set; } = "CREATE_PENDING";

        public string? FailureReason { get; set; }

        public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

        public List<FakeChange> Changes { get; init; } = [];
    }

    private sealed record FakeChange(string Action, string LogicalId, string Type, string? Replacement);

    private sealed class FakeError(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;
    }
}
