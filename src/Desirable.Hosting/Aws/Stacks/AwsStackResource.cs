using Desirable.Aws.CloudFormation;
using Desirable.Hosting.Aws.Stacks;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// One of the stage's CloudFormation stacks (a CDK stack of <c>src/Desirable.Infrastructure</c>) as a dashboard
/// resource: provisioned by its <see cref="Target"/> (CloudFormation on AWS or on an emulator, or applied to an
/// emulator without CloudFormation), its outputs handed to services as configuration once it is ready.
/// </summary>
public sealed class AwsStackResource(
    string name,
    string stackName,
    IReadOnlyList<string> outputKeys,
    Func<CancellationToken, Task<string>> template,
    IStackTarget target,
    IReadOnlyDictionary<string, string> tags)
    : Resource(name), IResourceWithWaitSupport
{
    private TaskCompletionSource<IReadOnlyDictionary<string, string>> _outputs = NewOutputs();

    /// <summary>The CloudFormation stack name, <c>desirable-{stage}-{stack}</c>.</summary>
    public string StackName { get; } = stackName;

    /// <summary>Reads (synthesizing first, when needed) the stack's template.</summary>
    public Func<CancellationToken, Task<string>> Template { get; } = template;

    public IStackTarget Target { get; } = target;

    /// <summary>Tags on the stack (CloudFormation passes them on to every resource).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; } = tags;

    /// <summary>Template parameters and where their values come from (parameters, settings).</summary>
    public Dictionary<string, IValueProvider> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary>Set while a change that loses data waits for the Apply command.</summary>
    internal TaskCompletionSource? PendingApproval { get; set; }

    /// <summary>Why the last provisioning failed; null once it succeeds.</summary>
    internal string? FailureReason { get; set; }

    /// <summary>Set while provisioning, drift detection or deletion runs, so commands do not overlap.</summary>
    internal SemaphoreSlim Busy { get; } = new(1, 1);

    /// <summary>The output keys the template declares, known before anything runs (they do not depend on the stage).</summary>
    public IReadOnlyList<string> OutputKeys { get; } = outputKeys;

    /// <summary>A reference to one output: its value once the stack is ready.</summary>
    public StackOutputReference GetOutput(string key)
    {
        if (!OutputKeys.Contains(key))
        {
            throw new ArgumentException($"{StackName} has no output {key}.", nameof(key));
        }

        return new StackOutputReference(this, key);
    }

    /// <summary>Completes with the outputs when the stack is provisioned.</summary>
    public Task<IReadOnlyDictionary<string, string>> WaitForOutputsAsync(CancellationToken cancellationToken) =>
        _outputs.Task.WaitAsync(cancellationToken);

    internal void SetOutputs(IReadOnlyDictionary<string, string> outputs)
    {
        if (!_outputs.TrySetResult(outputs))
        {
            // Re-provisioned: later readers see the new outputs.
            _outputs = NewOutputs();
            _outputs.SetResult(outputs);
        }
    }

    /// <summary>
    /// Tells whoever waits for the outputs (another stack's parameter) that they are not coming, instead of leaving them
    /// waiting for ever; outputs of an earlier provisioning stay readable, and a later success replaces this.
    /// </summary>
    internal void SetFailed(string reason) => _outputs.TrySetException(new StackDeploymentException(reason));

    private static TaskCompletionSource<IReadOnlyDictionary<string, string>> NewOutputs() =>
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>One output of a stack, resolved when the stack is ready; <c>{name.outputs.Key}</c> in the manifest.</summary>
public sealed class StackOutputReference(AwsStackResource stack, string key) : IValueProvider, IManifestExpressionProvider, IValueWithReferences
{
    public AwsStackResource Stack { get; } = stack;

    public string Key { get; } = key;

    public string ValueExpression => $"{{{Stack.Name}.outputs.{Key}}}";

    public IEnumerable<object> References => [Stack];

    public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return (await Stack.WaitForOutputsAsync(cancellationToken))[Key];
        }
        catch (StackDeploymentException e)
        {
            throw new StackDeploymentException($"{Key} comes from {Stack.StackName}, which could not be provisioned: {e.Message}", e);
        }
    }
}
