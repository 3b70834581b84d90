using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Desirable.Aws.CloudFormation;

/// <summary>
/// Brings a stack to a template through a change set, whatever state it is in: creates it, updates it, leaves it
/// alone when nothing changed, deletes a failed first creation (ROLLBACK_COMPLETE) and creates it again, waits for an
/// operation already under way, refuses UPDATE_ROLLBACK_FAILED with what to do, and streams the stack's events into
/// the log. A change that would replace or remove a resource holding data waits for an approval.
/// </summary>
public sealed partial class StackDeployer(CloudFormationClient cloudFormation, StackDeployerOptions options, ILogger logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <param name="deployment">The stack's template, parameters and tags.</param>
    /// <param name="approveLosses">
    /// Completes when a user has approved changes that lose resources holding data; without it such a change set is
    /// refused.
    /// </param>
    /// <param name="cancellationToken">Stops waiting; what CloudFormation already runs goes on.</param>
    public async Task<StackDeploymentResult> DeployAsync(
        StackDeployment deployment,
        Func<IReadOnlyList<ResourceChange>, CancellationToken, Task>? approveLosses,
        CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(deployment, cancellationToken);
        if (plan.Losses.Count > 0)
        {
            var what = DescribeLosses(plan.Losses);
            if (approveLosses is null)
            {
                await DiscardAsync(plan, cancellationToken);
                throw new StackDeploymentException($"The change to {plan.StackName} would replace or remove resources that hold data: {what}. It needs an approval.");
            }

            LogWaitingForApproval(logger, plan.StackName, what);
            await approveLosses(plan.Losses, cancellationToken);
            LogApproved(logger, plan.StackName);
        }

        return await ExecuteAsync(plan, cancellationToken);
    }

    /// <summary>
    /// Finds out what applying <paramref name="deployment"/> would change, without changing anything but a change set
    /// (which <see cref="ExecuteAsync"/> runs and <see cref="DiscardAsync"/> removes): waits out an operation under way,
    /// refuses states only a person can mend, and reads every resource change.
    /// </summary>
    public async Task<StackPlan> PlanAsync(StackDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var name = deployment.StackName;
        var hash = deployment.InputsHash();

        var stack = await WaitUntilSettledAsync(name, cancellationToken);
        switch (stack?.Status)
        {
            case "ROLLBACK_COMPLETE" or "ROLLBACK_FAILED":
                // A first creation failed and rolled back: such a stack can only be deleted, which happens on execution.
                // Nothing in it holds data; what the new one holds is the template's every resource.
                return new StackPlan(deployment, StackPlanKind.Recreate, null, TemplateResources(deployment.TemplateBody), [], stack);
            case "UPDATE_ROLLBACK_FAILED":
                throw new StackDeploymentException(
                    $"{name} is in UPDATE_ROLLBACK_FAILED: CloudFormation could not undo a failed update ({stack.StatusReason}). " +
                    $"Fix what the stack's events name, then run 'aws cloudformation continue-update-rollback --stack-name {name}' " +
                    "(or Continue update rollback in the console) and provision again.");
            case "DELETE_FAILED":
                throw new StackDeploymentException(
                    $"{name} is in DELETE_FAILED ({stack.StatusReason}). Remove what blocks the delete (often a non-empty bucket), " +
                    "delete the stack again, then provision.");
            case not null when stack.Tags.TryGetValue(StackDeployment.InputsTag, out var last) && last == hash && stack.Status is "CREATE_COMPLETE" or "UPDATE_COMPLETE":
                LogUnchanged(logger, name, stack.Status);
                return new StackPlan(deployment, StackPlanKind.Unchanged, null, [], [], stack);
        }

        // A stack whose first change set was never executed (REVIEW_IN_PROGRESS) has no resources yet: it is created.
        var isCreate = stack is null || stack.Status == "REVIEW_IN_PROGRESS";
        var changeSetName = $"desirable-{_time.GetUtcNow():yyyyMMdd-HHmmss-fff}";
        var request = new ChangeSetRequest(
            name,
            changeSetName,
            isCreate,
            deployment.TemplateBody,
            TemplateUrl: null,
            deployment.Parameters,
            new Dictionary<string, string>(deployment.Tags) { [StackDeployment.InputsTag] = hash },
            options.Capabilities);
        if (Encoding.UTF8.GetByteCount(deployment.TemplateBody) > StackDeployerOptions.MaxTemplateBodyBytes)
        {
            var stage = options.StageTemplateAsync ?? throw new StackDeploymentException(
                $"The template of {name} is larger than CloudFormation accepts inline ({StackDeployerOptions.MaxTemplateBodyBytes} bytes), and no staging bucket is configured.");
            request = request with { TemplateBody = null, TemplateUrl = await stage(name, deployment.TemplateBody, cancellationToken) };
        }

        LogCreatingChangeSet(logger, isCreate ? "creates" : "updates", name);
        try
        {
            await cloudFormation.CreateChangeSetAsync(request, cancellationToken);
        }
        catch (CloudFormationException e) when (e.Code == "ValidationError")
        {
            throw new StackDeploymentException($"CloudFormation refused the change set for {name}: {e.Reason}", e);
        }

        var changeSet = await WaitForChangeSetAsync(name, changeSetName, cancellationToken);
        if (changeSet.Status == "FAILED")
        {
            await cloudFormation.DeleteChangeSetAsync(name, changeSetName, cancellationToken);
            if (IsNoChange(changeSet.StatusReason))
            {
                LogNoChanges(logger, name);
                var current = await cloudFormation.DescribeStackAsync(name, cancellationToken)
                    ?? throw new StackDeploymentException($"{name} disappeared while it was being provisioned.");
                return new StackPlan(deployment, StackPlanKind.Unchanged, null, [], [], current);
            }

            if (isCreate)
            {
                // A refused first change set leaves an empty stack in REVIEW_IN_PROGRESS; leave nothing behind.
                await cloudFormation.DeleteStackAsync(name, cancellationToken);
            }

            throw new StackDeploymentException($"CloudFormation refused the template of {name}: {changeSet.StatusReason}");
        }

        foreach (var change in changeSet.Changes)
        {
            LogChange(logger, change.Action, change.LogicalResourceId, change.ResourceType, change.Replacement is null or "False" ? "" : $" (replacement: {change.Replacement})");
        }

        var losses = changeSet.Changes.Where(c => c.LosesTheResource && options.DataHoldingTypes.Contains(c.ResourceType)).ToList();
        return new StackPlan(deployment, isCreate ? StackPlanKind.Create : StackPlanKind.Update, changeSetName, changeSet.Changes, losses, stack);
    }

    /// <summary>Applies a plan and follows the stack until it settles; the failing resources' reasons if it fails.</summary>
    public async Task<StackDeploymentResult> ExecuteAsync(StackPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        switch (plan.Kind)
        {
            case StackPlanKind.Unchanged:
                return new StackDeploymentResult(StackDeploymentOutcome.Unchanged, plan.Current!);
            case StackPlanKind.Recreate:
                LogRecreating(logger, plan.StackName, plan.Current!.Status);
                await DeleteStackAndWaitAsync(plan.Current, cancellationToken);
                return await ExecuteAsync(await PlanAsync(plan.Deployment, cancellationToken), cancellationToken);
        }

        var name = plan.StackName;
        var started = _time.GetUtcNow();
        var seen = await LatestEventIdAsync(name, cancellationToken);
        await cloudFormation.ExecuteChangeSetAsync(name, plan.ChangeSetName!, cancellationToken);
        var final = await FollowUntilSettledAsync(name, seen, started, cancellationToken)
            ?? throw new StackDeploymentException($"{name} disappeared while it was being provisioned.");

        if (final.Status is "CREATE_COMPLETE" or "UPDATE_COMPLETE")
        {
            LogDone(logger, name, final.Status);
            return new StackDeploymentResult(plan.Kind == StackPlanKind.Create ? StackDeploymentOutcome.Created : StackDeploymentOutcome.Updated, final);
        }

        throw new StackDeploymentException(await FailureAsync(name, final, started, cancellationToken));
    }

    /// <summary>Drops a plan that will not be applied: its change set, and the empty stack a first change set made.</summary>
    public async Task DiscardAsync(StackPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.ChangeSetName is null)
        {
            return;
        }

        await cloudFormation.DeleteChangeSetAsync(plan.StackName, plan.ChangeSetName, cancellationToken);
        if (plan.Kind == StackPlanKind.Create)
        {
            // The empty stack (REVIEW_IN_PROGRESS) the first change set made; gone before this returns.
            await DeleteAsync(plan.StackName, cancellationToken);
        }
    }

    /// <summary>"MediaBucket (AWS::S3::Bucket, replaced), ...".</summary>
    public static string DescribeLosses(IEnumerable<ResourceChange> losses) =>
        string.Join(", ", losses.Select(l => $"{l.LogicalResourceId} ({l.ResourceType}, {(l.Action == "Remove" ? "removed" : "replaced")})"));

    /// <summary>Every resource of a template, as additions.</summary>
    private static List<ResourceChange> TemplateResources(string templateBody)
    {
        using var template = System.Text.Json.JsonDocument.Parse(templateBody);
        return template.RootElement.TryGetProperty("Resources", out var resources)
            ? [.. resources.EnumerateObject().Select(r => new ResourceChange("Add", r.Name, null, r.Value.GetProperty("Type").GetString() ?? "", null))]
            : [];
    }

    /// <summary>Deletes the stack and waits until it is gone; nothing happens when there is none.</summary>
    public async Task DeleteAsync(string stackName, CancellationToken cancellationToken)
    {
        var stack = await WaitUntilSettledAsync(stackName, cancellationToken);
        if (stack is null)
        {
            LogNothingToDelete(logger, stackName);
            return;
        }

        await DeleteStackAndWaitAsync(stack, cancellationToken);
    }

    /// <summary>Runs drift detection and returns the resources that drifted (none when the stack is in sync).</summary>
    public async Task<IReadOnlyList<ResourceDrift>> DetectDriftAsync(string stackName, CancellationToken cancellationToken)
    {
        string id;
        try
        {
            id = await cloudFormation.DetectStackDriftAsync(stackName, cancellationToken);
        }
        catch (CloudFormationException e) when (e.Code == "ValidationError")
        {
            throw new StackDeploymentException($"Drift of {stackName} cannot be detected: {e.Reason}", e);
        }

        var deadline = _time.GetUtcNow() + options.Timeout;
        DriftDetection detection;
        while (!(detection = await cloudFormation.DescribeStackDriftDetectionStatusAsync(id, cancellationToken)).IsComplete)
        {
            ThrowIfPast(deadline, $"Drift detection of {stackName} did not finish within {options.Timeout}.");
            await Task.Delay(options.PollInterval, _time, cancellationToken);
        }

        if (detection.DetectionStatus == "DETECTION_FAILED" && detection.StackDriftStatus is not "DRIFTED")
        {
            throw new StackDeploymentException($"Drift detection of {stackName} failed: {detection.Reason}");
        }

        return detection.StackDriftStatus == "IN_SYNC" ? [] : await cloudFormation.DescribeDriftedResourcesAsync(stackName, cancellationToken);
    }

    private async Task DeleteStackAndWaitAsync(StackDescription stack, CancellationToken cancellationToken)
    {
        LogDeleting(logger, stack.StackName);
        var started = _time.GetUtcNow();
        var seen = await LatestEventIdAsync(stack.StackName, cancellationToken);
        await cloudFormation.DeleteStackAsync(stack.StackName, cancellationToken);
        // By id: once deleted, a stack is only described by its id (as DELETE_COMPLETE), never by its name.
        var final = await FollowUntilSettledAsync(stack.StackId, seen, started, cancellationToken);
        if (final is not null)
        {
            throw new StackDeploymentException(await FailureAsync(stack.StackName, final, started, cancellationToken));
        }

        LogDeleted(logger, stack.StackName);
    }

    /// <summary>Waits out an operation someone else started on the stack.</summary>
    private async Task<StackDescription?> WaitUntilSettledAsync(string stackName, CancellationToken cancellationToken)
    {
        var stack = await cloudFormation.DescribeStackAsync(stackName, cancellationToken);
        if (stack is null || stack.IsSettled || stack.Status == "REVIEW_IN_PROGRESS")
        {
            return stack;
        }

        LogBusy(logger, stackName, stack.Status);
        var seen = await LatestEventIdAsync(stackName, cancellationToken);
        return await FollowUntilSettledAsync(stackName, seen, _time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Logs the stack's new events, oldest first, until it settles; null when it is gone.</summary>
    private async Task<StackDescription?> FollowUntilSettledAsync(string stack, string? seenEventId, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + options.Timeout;
        while (true)
        {
            var description = await cloudFormation.DescribeStackAsync(stack, cancellationToken);
            var events = await EventsAsync(stack, cancellationToken);
            var fresh = events.TakeWhile(e => e.EventId != seenEventId).Where(e => e.Timestamp >= started.AddMinutes(-1)).Reverse().ToList();
            foreach (var e in fresh)
            {
                LogEvent(logger, e.Timestamp.ToString("HH:mm:ss", CultureInfo.InvariantCulture), e.LogicalResourceId, e.ResourceType, e.ResourceStatus,
                    e.ResourceStatusReason is null ? "" : $": {e.ResourceStatusReason}");
            }

            if (fresh.Count > 0)
            {
                seenEventId = fresh[^1].EventId;
            }

            if (description is null || description.IsSettled)
            {
                return description;
            }

            if (_time.GetUtcNow() > deadline)
            {
                var last = string.Join("; ", events.Take(5).Select(e => $"{e.LogicalResourceId} {e.ResourceStatus}{(e.ResourceStatusReason is null ? "" : $" ({e.ResourceStatusReason})")}"));
                throw new StackDeploymentException(
                    $"{stack} was still {description.Status} after {options.Timeout}; gave up waiting (CloudFormation goes on). Last events: {last}");
            }

            await Task.Delay(options.PollInterval, _time, cancellationToken);
        }
    }

    private async Task<ChangeSetDescription> WaitForChangeSetAsync(string stackName, string changeSetName, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + options.Timeout;
        while (true)
        {
            var changeSet = await cloudFormation.DescribeChangeSetAsync(stackName, changeSetName, cancellationToken);
            if (changeSet.Status is "CREATE_COMPLETE" or "FAILED")
            {
                return changeSet;
            }

            ThrowIfPast(deadline, $"The change set for {stackName} was still {changeSet.Status} after {options.Timeout}.");
            await Task.Delay(options.PollInterval, _time, cancellationToken);
        }
    }

    private async Task<string?> LatestEventIdAsync(string stackName, CancellationToken cancellationToken) =>
        await EventsAsync(stackName, cancellationToken) is [var newest, ..] ? newest.EventId : null;

    /// <summary>The newest page of events; none for a stack that does not exist (yet, or any more, by name).</summary>
    private async Task<IReadOnlyList<StackEvent>> EventsAsync(string stack, CancellationToken cancellationToken)
    {
        try
        {
            return await cloudFormation.DescribeStackEventsAsync(stack, cancellationToken: cancellationToken);
        }
        catch (CloudFormationException e) when (e.IsStackMissing)
        {
            return [];
        }
    }

    /// <summary>Why a stack ended failed: the reasons of the resources that failed since the operation started.</summary>
    private async Task<string> FailureAsync(string stackName, StackDescription stack, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var events = await cloudFormation.DescribeStackEventsAsync(stack.StackId.Length > 0 ? stack.StackId : stackName, maxPages: 3, cancellationToken);
        var reasons = events
            .Where(e => e.Timestamp >= started.AddMinutes(-1) && e.ResourceStatus.EndsWith("_FAILED", StringComparison.Ordinal) && e.ResourceStatusReason is not null)
            .Reverse()
            .Select(e => $"{e.LogicalResourceId} ({e.ResourceType}): {e.ResourceStatusReason}")
            .Distinct()
            .ToList();
        return $"{stackName} ended {stack.Status}." + (reasons.Count > 0 ? $" {string.Join(" ", reasons)}" : stack.StatusReason is null ? "" : $" {stack.StatusReason}");
    }

    private static bool IsNoChange(string? reason) =>
        reason is not null && (reason.Contains("didn't contain changes", StringComparison.Ordinal) || reason.Contains("No updates are to be performed", StringComparison.Ordinal));

    private void ThrowIfPast(DateTimeOffset deadline, string message)
    {
        if (_time.GetUtcNow() > deadline)
        {
            throw new StackDeploymentException(message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Stack} is unchanged ({Status}): same template, parameters and tags as last time.")]
    private static partial void LogUnchanged(ILogger logger, string stack, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Stack}: the change set has no changes.")]
    private static partial void LogNoChanges(ILogger logger, string stack);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Stack} is {Status} after a failed first creation; deleting it to create it again.")]
    private static partial void LogRecreating(ILogger logger, string stack, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating a change set that {Verb} {Stack}.")]
    private static partial void LogCreatingChangeSet(ILogger logger, string verb, string stack);

    [LoggerMessage(Level = LogLevel.Information, Message = "Change: {Action} {LogicalId} ({Type}){Replacement}")]
    private static partial void LogChange(ILogger logger, string action, string logicalId, string type, string replacement);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Stack}: this change replaces or removes resources that hold data: {What}. Waiting for the Apply command.")]
    private static partial void LogWaitingForApproval(ILogger logger, string stack, string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Stack}: the change was approved.")]
    private static partial void LogApproved(ILogger logger, string stack);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Time} {LogicalId} ({Type}) {Status}{Reason}")]
    private static partial void LogEvent(ILogger logger, string time, string logicalId, string type, string status, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Stack} is {Status}.")]
    private static partial void LogDone(ILogger logger, string stack, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Stack} is {Status}; waiting for that to finish first.")]
    private static partial void LogBusy(ILogger logger, string stack, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleting {Stack}.")]
    private static partial void LogDeleting(ILogger logger, string stack);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Stack} is deleted.")]
    private static partial void LogDeleted(ILogger logger, string stack);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Stack} does not exist; nothing to delete.")]
    private static partial void LogNothingToDelete(ILogger logger, string stack);
}
