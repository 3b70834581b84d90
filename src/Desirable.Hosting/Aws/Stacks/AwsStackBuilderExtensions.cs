using System.Collections.Immutable;
using Amazon.Runtime;
using Aspire.Hosting.ApplicationModel;
using Desirable.Aws;
using Desirable.Aws.CloudFormation;
using Desirable.Hosting.Aws.Stacks;
using Desirable.Hosting.Aws.Templates;
using Desirable.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// CloudFormation stacks as dashboard resources: each provisions itself when the app starts (after what it waits for),
/// streams what happens into its log, holds back a change that would lose data until its Apply command, and offers
/// Re-provision, and on CloudFormation Detect drift and Delete stack. Services that reference a stack start only once
/// it is provisioned and receive its outputs as <c>AWS__Resources__{OutputKey}</c>.
/// </summary>
public static class AwsStackBuilderExtensions
{
    public const string ReprovisionCommand = "reprovision";
    public const string ApplyCommand = "apply";
    public const string DetectDriftCommand = "detect-drift";
    public const string DeleteStackCommand = "delete-stack";
    public const string ProvisionStacksCommand = "provision-stacks";

    /// <summary>The property a resource waiting for a failed stack shows the reason in.</summary>
    public const string WaitingForProperty = "desirable.waiting-for";

    private const string ProvisioningState = "Provisioning";
    private const string ApprovalState = "Waiting for Apply";

    /// <summary>Adds a stack that its <paramref name="target"/> provisions from <paramref name="template"/>.</summary>
    /// <param name="builder">The distributed application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="stackName">The CloudFormation stack name.</param>
    /// <param name="outputKeys">The template's output keys, known before anything runs.</param>
    /// <param name="template">Reads the template (synthesizing it first when needed).</param>
    /// <param name="target">Where the stack's resources come into being.</param>
    /// <param name="tags">Tags on the stack (CloudFormation passes them on to every resource).</param>
    public static IResourceBuilder<AwsStackResource> AddAwsStack(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string stackName,
        IReadOnlyList<string> outputKeys,
        Func<CancellationToken, Task<string>> template,
        IStackTarget target,
        IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(target);

        var resource = new AwsStackResource(name, stackName, outputKeys, template, target, tags);
        var stack = builder.AddResource(resource)
            .WithIconName("CloudArrowUp")
            .ExcludeFromManifest()
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "CloudFormationStack",
                State = KnownResourceStates.NotStarted,
                Properties = [new("desirable.stack", stackName), new("desirable.stack.target", target.Description)],
            })
            .OnInitializeResource((initialized, e, cancellationToken) =>
            {
                // Provisioning takes minutes on AWS; the app's start does not wait for it, the stack's dependants do.
                _ = ProvisionAsync(initialized, e.Services, waitForDependencies: true, cancellationToken);
                return Task.CompletedTask;
            })
            .WithCommand(ReprovisionCommand, "Re-provision", async context =>
                {
                    var error = await ProvisionAsync(resource, context.Services, waitForDependencies: false, context.CancellationToken);
                    return error is null ? CommandResults.Success($"{resource.StackName} is provisioned.") : CommandResults.Failure(error);
                },
                new CommandOptions
                {
                    Description = "Synthesize the stack again and bring it to the template (nothing happens when nothing changed).",
                    IconName = "ArrowSync",
                    UpdateState = context => resource.PendingApproval is null && resource.Busy.CurrentCount > 0
                        ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
                })
            .WithCommand(ApplyCommand, "Apply", context =>
                {
                    return Task.FromResult(resource.PendingApproval?.TrySetResult() == true
                        ? CommandResults.Success($"The change to {resource.StackName} runs now.")
                        : CommandResults.Failure("No change is waiting for approval."));
                },
                new CommandOptions
                {
                    Description = "Run the waiting change, which replaces or removes resources that hold data (the log lists them).",
                    ConfirmationMessage = "This change replaces or removes resources that hold data (see the stack's log). Their data may be lost. Apply it?",
                    IconName = "Checkmark",
                    IsHighlighted = true,
                    UpdateState = context => resource.PendingApproval is null ? ResourceCommandState.Hidden : ResourceCommandState.Enabled,
                });

        if (target.HasCloudFormation)
        {
            stack
                .WithCommand(DetectDriftCommand, "Detect drift", context => DetectDriftAsync(resource, context), new CommandOptions
                {
                    Description = "Ask CloudFormation which resources were changed outside the stack.",
                    IconName = "BranchFork",
                    UpdateState = context => resource.Busy.CurrentCount > 0 ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
                })
                .WithCommand(DeleteStackCommand, "Delete stack", context => DeleteAsync(resource, context), new CommandOptions
                {
                    Description = "Delete this stage's stack. A retained bucket or cluster stays (with its data) and must be removed by hand.",
                    ConfirmationMessage = $"Delete {stackName}? Services using it stop working. Retained resources (the bucket, the Atlas cluster) stay in the account.",
                    IconName = "Delete",
                    UpdateState = context => resource.Busy.CurrentCount > 0 ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
                });
        }

        return stack;
    }

    /// <summary>Adds one of a stage's stacks, <c>aws-{stack}</c>, whose template <paramref name="directory"/> holds.</summary>
    internal static IResourceBuilder<AwsStackResource> AddStageStack(
        this IDistributedApplicationBuilder builder, string stack, StageName stage, string keysDirectory, Func<CancellationToken, Task<string>> directory, IStackTarget target) =>
        builder.AddAwsStack(
            $"aws-{stack}",
            stage.StackName(stack),
            StackTemplates.OutputKeys(StackTemplates.TemplateFile(keysDirectory, stack)),
            async cancellationToken => await File.ReadAllTextAsync(StackTemplates.TemplateFile(await directory(cancellationToken), stack), cancellationToken),
            target,
            new Dictionary<string, string> { ["desirable:stage"] = stage.Value, ["desirable:stack"] = stack });

    /// <summary>Gives the stack a template parameter's value (a parameter, a setting, an expression).</summary>
    public static IResourceBuilder<AwsStackResource> WithStackParameter(this IResourceBuilder<AwsStackResource> builder, string name, IValueProvider value)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.Parameters[name] = value;
        return builder;
    }

    /// <summary>
    /// Adds a command to <paramref name="builder"/> (the emulator or account the stacks live in) that provisions all of
    /// <paramref name="stacks"/> again: after a failure, the way to go on without restarting the AppHost.
    /// </summary>
    public static IResourceBuilder<T> WithProvisioningRetry<T>(this IResourceBuilder<T> builder, params IResourceBuilder<AwsStackResource>[] stacks)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(stacks);
        return builder.WithCommand(ProvisionStacksCommand, "Provision stacks", async context =>
            {
                var errors = new List<string>();
                foreach (var stack in stacks)
                {
                    if (await ProvisionAsync(stack.Resource, context.Services, waitForDependencies: false, context.CancellationToken) is { } error)
                    {
                        errors.Add(error);
                    }
                }

                return errors.Count == 0
                    ? CommandResults.Success($"Provisioned: {string.Join(", ", stacks.Select(s => s.Resource.StackName))}.")
                    : CommandResults.Failure(string.Join(" ", errors));
            },
            new CommandOptions
            {
                Description = "Create or update the stage's stacks on it again, for example after a failure; services waiting for them then start.",
                IconName = "ArrowSync",
                UpdateState = context => stacks.All(s => s.Resource.PendingApproval is null && s.Resource.Busy.CurrentCount > 0)
                    ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
            });
    }

    /// <summary>
    /// The stack's outputs reach the service as <c>AWS__Resources__{OutputKey}</c>, as Aspire's AWS integration names
    /// them; the service starts only once the stack is provisioned. While the stack has failed, the service keeps
    /// waiting (and shows why) instead of failing, so a retry that succeeds starts it.
    /// </summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<AwsStackResource> stack)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        ArgumentNullException.ThrowIfNull(stack);
        foreach (var key in stack.Resource.OutputKeys)
        {
            builder.WithEnvironment($"AWS__Resources__{key}", stack.Resource.GetOutput(key));
        }

        return builder.WaitFor(stack, WaitBehavior.WaitOnResourceUnavailable).WithReferenceRelationship(stack.Resource);
    }

    /// <summary>Provisions the stack and says how it went on the dashboard; returns the reason when it failed.</summary>
    private static async Task<string?> ProvisionAsync(AwsStackResource stack, IServiceProvider services, bool waitForDependencies, CancellationToken cancellationToken)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(stack);
        await stack.Busy.WaitAsync(cancellationToken);
        try
        {
            if (waitForDependencies)
            {
                await Publish(notifications, stack, KnownResourceStates.Waiting, KnownResourceStateStyles.Info);
                try
                {
                    await notifications.WaitForDependenciesAsync(stack, cancellationToken);
                }
                catch (DistributedApplicationException e)
                {
                    // The emulator did not start (an image that cannot be pulled, a port in use): say so, not "unexpected".
                    var home = string.Join(", ", stack.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name));
                    throw new StackDeploymentException(
                        $"{home} did not start, so {stack.StackName} cannot be provisioned. Start {home} again (its log says why it " +
                        $"stopped), then run Re-provision on {stack.Name}.", e);
                }
            }

            // A parameter nobody has set yet waits for the dashboard's prompt; say so rather than "Provisioning".
            await Publish(notifications, stack, "Waiting for parameters", KnownResourceStateStyles.Info);
            var parameters = new List<StackParameter>();
            foreach (var (name, value) in stack.Parameters)
            {
                parameters.Add(new StackParameter(name, await value.GetValueAsync(cancellationToken) ?? ""));
            }

            await Publish(notifications, stack, ProvisioningState, KnownResourceStateStyles.Info);

            var deployment = new StackDeployment(stack.StackName, await stack.Template(cancellationToken), parameters, stack.Tags);
            var outputs = await stack.Target.ProvisionAsync(deployment, (losses, ct) => WaitForApprovalAsync(stack, notifications, ct), logger, cancellationToken);
            stack.SetOutputs(outputs);
            await notifications.PublishUpdateAsync(stack, s => s with
            {
                State = new(KnownResourceStates.Running, KnownResourceStateStyles.Success),
                StartTimeStamp = DateTime.UtcNow,
                Properties = [.. s.Properties.Where(p => !p.Name.StartsWith("desirable.output.", StringComparison.Ordinal) && p.Name != "desirable.stack.error"),
                    .. outputs.Select(o => new ResourcePropertySnapshot($"desirable.output.{o.Key}", o.Value))],
            });
            stack.FailureReason = null;
            await TellWaitingResourcesAsync(stack, services, reason: null);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nobody awaits the first provisioning: every failure must end on the dashboard, a bug's with its trace in the log.
            string reason;
            if (IsUserFacing(e))
            {
                reason = e.Message;
                if (e is StackSynthesisException synthesis)
                {
                    logger.LogDebug("{ToolOutput}", synthesis.ToolOutput);
                }

                logger.LogError("{Reason}", reason);
            }
            else
            {
                reason = $"{stack.StackName} could not be provisioned because of an unexpected error; the log has the details.";
                logger.LogError(e, "{Reason}", reason);
            }

            await notifications.PublishUpdateAsync(stack, s => s with
            {
                State = new(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error),
                Properties = [.. s.Properties.Where(p => p.Name != "desirable.stack.error"), new("desirable.stack.error", reason)],
            });
            stack.FailureReason = reason;
            stack.SetFailed(reason);
            await TellWaitingResourcesAsync(stack, services, reason);
            return reason;
        }
        finally
        {
            stack.Busy.Release();
        }
    }

    /// <summary>
    /// Shows a failure on the resources that wait for the stack (a property and a line in their log), or clears it
    /// once the stack is provisioned: otherwise they sit in "Waiting" with the reason only in the stack's log.
    /// </summary>
    private static async Task TellWaitingResourcesAsync(AwsStackResource stack, IServiceProvider services, string? reason)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var loggers = services.GetRequiredService<ResourceLoggerService>();
        // The resource the stack lives on (the emulator, the account) may offer to provision all its stacks again.
        var home = stack.Annotations.OfType<ResourceRelationshipAnnotation>().LastOrDefault(r => r.Type == "Parent")?.Resource;
        var retry = home?.Annotations.OfType<ResourceCommandAnnotation>().Any(c => c.Name == ProvisionStacksCommand) == true
            ? $"Provision stacks on {home.Name}, or " : "";
        foreach (var waiting in services.GetRequiredService<DistributedApplicationModel>().Resources
            .Where(r => r.Annotations.OfType<WaitAnnotation>().Any(w => w.Resource == stack)))
        {
            if (reason is null)
            {
                await notifications.PublishUpdateAsync(waiting, s => s with
                {
                    Properties = [.. s.Properties.Where(p => p.Name != WaitingForProperty)],
                });
                continue;
            }

            var message = $"Waiting for {stack.Name}, which could not be provisioned: {reason} When it is fixed, run {retry}Re-provision on {stack.Name}.";
            // Told once it waits: a resource not yet created would lose the property to its first snapshot.
            _ = TellWhenWaitingAsync(stack, waiting, reason, message, notifications, loggers.GetLogger(waiting),
                services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        }
    }

    private static async Task TellWhenWaitingAsync(
        AwsStackResource stack, IResource waiting, string reason, string message, ResourceNotificationService notifications, ILogger logger, CancellationToken stopping)
    {
        try
        {
            // A resource that already runs (the stack failed on a later Re-provision) is not waiting for anything.
            var current = await notifications.WaitForResourceAsync(waiting.Name, e => e.Snapshot.State?.Text is { } state &&
                (state == KnownResourceStates.Waiting || state == KnownResourceStates.Running || KnownResourceStates.TerminalStates.Contains(state)), stopping);
            if (current.Snapshot.State?.Text != KnownResourceStates.Waiting || stack.FailureReason != reason)
            {
                return;
            }

            logger.LogWarning("{Message}", message);
            await notifications.PublishUpdateAsync(waiting, s => s with
            {
                Properties = [.. s.Properties.Where(p => p.Name != WaitingForProperty), new(WaitingForProperty, message)],
            });
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The app stops.
        }
    }

    /// <summary>Holds a change that loses data until the Apply command; the stack's dependants keep waiting meanwhile.</summary>
    private static async Task WaitForApprovalAsync(AwsStackResource stack, ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        var approval = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stack.PendingApproval = approval;
        await Publish(notifications, stack, ApprovalState, KnownResourceStateStyles.Warn);
        try
        {
            await approval.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            stack.PendingApproval = null;
            await Publish(notifications, stack, ProvisioningState, KnownResourceStateStyles.Info);
        }
    }

    private static async Task<ExecuteCommandResult> DetectDriftAsync(AwsStackResource stack, ExecuteCommandContext context)
    {
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        var logger = context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(stack);
        await stack.Busy.WaitAsync(context.CancellationToken);
        try
        {
            var drifts = await stack.Target.DetectDriftAsync(stack.StackName, logger, context.CancellationToken);
            foreach (var drift in drifts)
            {
                logger.LogWarning("Drifted: {LogicalId} ({Type}) {Status}. {Differences}", drift.LogicalResourceId, drift.ResourceType, drift.DriftStatus, string.Join("; ", drift.Differences));
            }

            var summary = drifts.Count == 0
                ? "In sync: no resource was changed outside the stack."
                : $"Drifted: {string.Join(", ", drifts.Select(d => $"{d.LogicalResourceId} ({d.DriftStatus})"))}. Re-provision puts the template's settings back.";
            logger.LogInformation("{Summary}", summary);
            await notifications.PublishUpdateAsync(stack, s => s with
            {
                Properties = [.. s.Properties.Where(p => p.Name != "desirable.stack.drift"), new("desirable.stack.drift", summary)],
            });
            return CommandResults.Success(summary);
        }
        catch (Exception e) when (IsUserFacing(e))
        {
            logger.LogError("{Reason}", e.Message);
            return CommandResults.Failure(e.Message);
        }
        finally
        {
            stack.Busy.Release();
        }
    }

    private static async Task<ExecuteCommandResult> DeleteAsync(AwsStackResource stack, ExecuteCommandContext context) =>
        await DeleteStackAsync(stack, context.Services, context.CancellationToken) is { } error
            ? CommandResults.Failure(error)
            : CommandResults.Success($"{stack.StackName} is deleted. Re-provision creates it again.");

    /// <summary>Deletes the stack and shows it on the dashboard; returns the reason when it failed.</summary>
    internal static async Task<string?> DeleteStackAsync(AwsStackResource stack, IServiceProvider services, CancellationToken cancellationToken)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(stack);
        await stack.Busy.WaitAsync(cancellationToken);
        try
        {
            await Publish(notifications, stack, KnownResourceStates.Stopping, KnownResourceStateStyles.Warn);
            await stack.Target.DeleteAsync(stack.StackName, logger, cancellationToken);
            await Publish(notifications, stack, "Deleted", KnownResourceStateStyles.Warn);
            return null;
        }
        catch (Exception e) when (IsUserFacing(e))
        {
            logger.LogError("{Reason}", e.Message);
            await Publish(notifications, stack, KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error);
            return e.Message;
        }
        finally
        {
            stack.Busy.Release();
        }
    }

    /// <summary>Failures whose message is meant for the user; anything else is a bug and goes up with its stack trace.</summary>
    private static bool IsUserFacing(Exception e) =>
        e is StackDeploymentException or StackSynthesisException or TemplateException or AwsConfigurationException
            or AwsApiException or AmazonServiceException or AmazonClientException or HttpRequestException;

    private static Task Publish(ResourceNotificationService notifications, AwsStackResource stack, string state, string style) =>
        notifications.PublishUpdateAsync(stack, s => s with { State = new(state, style) });
}
