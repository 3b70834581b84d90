using Aspire.Hosting.ApplicationModel;
using Desirable.Aws.CloudFormation;
using Desirable.Hosting.Aws.Templates;
using Microsoft.Extensions.Logging;

namespace Desirable.Hosting.Aws.Stacks;

/// <summary>
/// Stacks applied to an emulator without CloudFormation (fauxqs): the template's S3, SQS and SNS resources through
/// their own APIs, the outputs evaluated as CloudFormation would.
/// </summary>
public sealed class EmulatorStackTarget(IAwsEmulatorResource emulator) : IStackTarget
{
    public string Description => $"{emulator.Name} (applied through the S3, SQS and SNS APIs)";

    public bool HasCloudFormation => false;

    public async Task<IReadOnlyDictionary<string, string>> ProvisionAsync(
        StackDeployment deployment, Func<IReadOnlyList<ResourceChange>, CancellationToken, Task> approveLosses, ILogger logger, CancellationToken cancellationToken)
    {
        var url = await emulator.Endpoint.GetValueAsync(cancellationToken) ?? throw new InvalidOperationException($"{emulator.Name} has no endpoint.");
        var parameters = deployment.Parameters.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);
        return await EmulatorTemplateApplier.ApplyAsync(
            CloudFormationTemplate.Parse(deployment.TemplateBody), deployment.StackName, new Uri(url), emulator.Region, parameters, logger, cancellationToken);
    }

    public Task<IReadOnlyList<ResourceDrift>> DetectDriftAsync(string stackName, ILogger logger, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The emulator has no CloudFormation, so it has no drift to detect.");

    public Task DeleteAsync(string stackName, ILogger logger, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The emulator's resources go with its data folder; there is no stack to delete.");
}
