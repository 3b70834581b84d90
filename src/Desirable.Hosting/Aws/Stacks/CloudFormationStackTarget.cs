using Desirable.Aws;
using Desirable.Aws.CloudFormation;
using Desirable.Aws.Query;
using Microsoft.Extensions.Logging;

namespace Desirable.Hosting.Aws.Stacks;

/// <summary>
/// Stacks provisioned through CloudFormation: on AWS with the developer's profile or credentials, or on an emulator
/// that runs CloudFormation (Floci, LocalStack). The client is made on first use, so that missing credentials or an
/// unknown profile become the stack's error on the dashboard, not a crash of the AppHost.
/// </summary>
/// <param name="description">Where the stacks go, for the dashboard.</param>
/// <param name="options">The client's endpoint, region and credentials (made on first use).</param>
/// <param name="deployerOptions">Waits, time limits and template staging.</param>
/// <param name="configurationHint">Added to a missing region, credentials or profile: where this app takes them from.</param>
public sealed class CloudFormationStackTarget(
    string description, Func<AwsQueryClientOptions> options, StackDeployerOptions? deployerOptions = null, string? configurationHint = null) : IStackTarget
{
    private readonly Lazy<CloudFormationClient> _client = new(() =>
    {
        try
        {
            return new CloudFormationClient(new HttpClient(), options());
        }
        catch (AwsConfigurationException e) when (configurationHint is not null)
        {
            throw new AwsConfigurationException($"{e.Message} {configurationHint}", e);
        }
    });

    public string Description { get; } = description;

    public bool HasCloudFormation => true;

    public async Task<IReadOnlyDictionary<string, string>> ProvisionAsync(
        StackDeployment deployment, Func<IReadOnlyList<ResourceChange>, CancellationToken, Task> approveLosses, ILogger logger, CancellationToken cancellationToken) =>
        (await Deployer(logger).DeployAsync(deployment, approveLosses, cancellationToken)).Stack.Outputs;

    public Task<IReadOnlyList<ResourceDrift>> DetectDriftAsync(string stackName, ILogger logger, CancellationToken cancellationToken) =>
        Deployer(logger).DetectDriftAsync(stackName, cancellationToken);

    public Task DeleteAsync(string stackName, ILogger logger, CancellationToken cancellationToken) =>
        Deployer(logger).DeleteAsync(stackName, cancellationToken);

    private StackDeployer Deployer(ILogger logger) => new(_client.Value, deployerOptions ?? new StackDeployerOptions(), logger);
}
