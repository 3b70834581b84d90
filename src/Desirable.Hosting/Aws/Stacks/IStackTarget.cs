using Desirable.Aws.CloudFormation;
using Microsoft.Extensions.Logging;

namespace Desirable.Hosting.Aws.Stacks;

/// <summary>Where a stack's resources come into being: CloudFormation (AWS, Floci, LocalStack) or an emulator's own APIs.</summary>
public interface IStackTarget
{
    /// <summary>What the dashboard shows as the stack's home, such as "AWS profile dev, eu-west-1" or "fauxqs".</summary>
    string Description { get; }

    /// <summary>Whether drift detection and deleting the stack mean anything here (CloudFormation only).</summary>
    bool HasCloudFormation { get; }

    /// <summary>Brings the stack to the template and returns its outputs.</summary>
    Task<IReadOnlyDictionary<string, string>> ProvisionAsync(
        StackDeployment deployment, Func<IReadOnlyList<ResourceChange>, CancellationToken, Task> approveLosses, ILogger logger, CancellationToken cancellationToken);

    Task<IReadOnlyList<ResourceDrift>> DetectDriftAsync(string stackName, ILogger logger, CancellationToken cancellationToken);

    Task DeleteAsync(string stackName, ILogger logger, CancellationToken cancellationToken);
}
