using Desirable.Aws.CloudFormation;
using Desirable.Hosting.Aws.Stacks;
using Desirable.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Desirable.Hosting.Aws.Deployment;

/// <summary>
/// What the stage commands do with a stage's synthesized stacks: show the plan (diff), apply it after a confirmation
/// (deploy), delete the stacks in reverse order (remove). One stack can be chosen; it then takes the outputs of the
/// stage's other stacks as they are deployed. Nothing changes before the whole plan has been shown and confirmed.
/// </summary>
public sealed class StageCommands
{
    private readonly Func<string?, StageRegion> _regions;
    private readonly StageDeployer _stages;
    private readonly StageImages? _images;
    private readonly StageWeb? _web;

    /// <param name="cloudFormation">CloudFormation in a region (null: the stage's region), for the stacks deployed elsewhere.</param>
    /// <param name="options">Waits, limits and template staging.</param>
    /// <param name="logger">Progress and the tools' output.</param>
    /// <param name="images">
    /// The services' images, built and pushed by a deployment whose values do not name their digests: before the plan if
    /// the stage's registry exists (so the plan shows what they change), else right after the Registry stack is created.
    /// </param>
    /// <param name="web">The published web client: its policy goes to the Web stack, its files to the stack's bucket.</param>
    public StageCommands(Func<string?, CloudFormationClient> cloudFormation, StackDeployerOptions options, ILogger logger, StageImages? images = null, StageWeb? web = null)
    {
        ArgumentNullException.ThrowIfNull(cloudFormation);
        var regions = new System.Collections.Concurrent.ConcurrentDictionary<string, StageRegion>(StringComparer.Ordinal);
        _regions = region => regions.GetOrAdd(region ?? "", _ =>
        {
            var client = cloudFormation(region);
            return new StageRegion(client, new StackDeployer(client, options, logger));
        });
        _stages = new StageDeployer(_regions, logger);
        _images = images;
        _web = web;
    }

    /// <summary>A stage whose stacks are all in the client's region.</summary>
    public StageCommands(CloudFormationClient cloudFormation, StackDeployerOptions options, ILogger logger, StageImages? images = null, StageWeb? web = null)
        : this(_ => cloudFormation, options, logger, images, web)
    {
    }

    /// <summary>Every stack of a stage, in the order they are deployed.</summary>
    public static IReadOnlyList<string> StackOrder { get; } = [.. DesirableStacks.ResourceStacks, .. DesirableStacks.DeploymentStacks];

    /// <summary>The stage's stacks from <paramref name="templateDirectory"/>, in deployment order, tagged with the stage.</summary>
    public static IReadOnlyList<StackToDeploy> Read(string templateDirectory, StageName stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return
        [
            .. StackOrder.Select(stack => new StackToDeploy(
                stage.StackName(stack),
                File.ReadAllText(StackTemplates.TemplateFile(templateDirectory, stack)),
                new Dictionary<string, string> { ["desirable:stage"] = stage.Value, ["desirable:stack"] = stack },
                DesirableStacks.FixedRegions.GetValueOrDefault(stack))),
        ];
    }

    /// <summary>The stacks <paramref name="only"/> names (a stack's short name, any case), or all of them.</summary>
    public static IReadOnlyList<StackToDeploy> Select(IReadOnlyList<StackToDeploy> stacks, StageName stage, string? only)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        ArgumentNullException.ThrowIfNull(stage);
        if (string.IsNullOrWhiteSpace(only))
        {
            return stacks;
        }

        var name = StackOrder.FirstOrDefault(s => string.Equals(s, only.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new StackDeploymentException(
                $"There is no stack \"{only.Trim()}\"; a stage has {string.Join(", ", StackOrder.Select(RegistryStack.Capitalized))}.");
        return [.. stacks.Where(s => s.StackName == stage.StackName(name))];
    }

    /// <summary>What deploying would change, without changing anything (the change sets are dropped again).</summary>
    public async Task<StagePlan> DiffAsync(
        IReadOnlyList<StackToDeploy> stage, IReadOnlyList<StackToDeploy> chosen, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        var (plan, _) = await PlanAsync(stage, chosen, values, buildImages: false, cancellationToken);
        await _stages.DiscardAsync(plan, CancellationToken.None);
        return plan;
    }

    /// <summary>
    /// Plans <paramref name="chosen"/>, hands the plan to <paramref name="confirm"/>, and applies it only if confirmed
    /// and only if it changes anything.
    /// </summary>
    public async Task<StageDeployResult> DeployAsync(
        IReadOnlyList<StackToDeploy> stage,
        IReadOnlyList<StackToDeploy> chosen,
        IReadOnlyDictionary<string, string> values,
        Func<StagePlan, CancellationToken, Task<bool>> confirm,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(confirm);
        var (plan, known) = await PlanAsync(stage, chosen, values, buildImages: true, cancellationToken);
        if (!plan.ChangesAnything)
        {
            await _stages.DiscardAsync(plan, CancellationToken.None);
            return new StageDeployResult(plan, StageDeployOutcome.NothingToDo, [], await UploadSiteAsync(chosen, cancellationToken));
        }

        bool confirmed;
        try
        {
            confirmed = await confirm(plan, cancellationToken);
        }
        catch
        {
            await _stages.DiscardAsync(plan, CancellationToken.None);
            throw;
        }

        if (!confirmed)
        {
            await _stages.DiscardAsync(plan, CancellationToken.None);
            return new StageDeployResult(plan, StageDeployOutcome.Declined, []);
        }

        var results = await _stages.ExecuteAsync(plan, known, cancellationToken,
            _images is null ? null : async (_, cancellationToken) => await _images.PublishAsync(cancellationToken));
        return new StageDeployResult(plan, StageDeployOutcome.Applied, results, await UploadSiteAsync(chosen, cancellationToken));
    }

    /// <summary>
    /// Deletes the chosen stacks that exist, the last deployed first, after <paramref name="confirm"/> agreed to the list.
    /// Returns what was deleted and the data the stage retains (a non-disposable stage keeps its bucket).
    /// </summary>
    public async Task<StageRemoveResult> RemoveAsync(
        IReadOnlyList<StackToDeploy> chosen, Func<IReadOnlyList<string>, CancellationToken, Task<bool>> confirm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chosen);
        ArgumentNullException.ThrowIfNull(confirm);
        var existing = new List<StackDescription>();
        foreach (var stack in chosen.Reverse())
        {
            if (await _regions(stack.Region).CloudFormation.DescribeStackAsync(stack.StackName, cancellationToken) is { } description)
            {
                existing.Add(description);
            }
        }

        if (existing.Count == 0)
        {
            return new StageRemoveResult(StageRemoveOutcome.NothingToDo, [], []);
        }

        if (!await confirm([.. existing.Select(s => s.StackName)], cancellationToken))
        {
            return new StageRemoveResult(StageRemoveOutcome.Declined, [], []);
        }

        var retained = existing.SelectMany(RetainedData).ToList();
        // The site's bucket holds only the published client; CloudFormation deletes a bucket only when it is empty.
        if (_web?.EmptyAsync is { } empty && existing.FirstOrDefault(s => s.Outputs.ContainsKey(WebOutputs.WebBucketName)) is { } web)
        {
            await empty(web.Outputs[WebOutputs.WebBucketName], cancellationToken);
        }

        var removed = await _stages.RemoveAsync(chosen, cancellationToken);
        return new StageRemoveResult(StageRemoveOutcome.Removed, removed, retained);
    }

    private async Task<(StagePlan Plan, IReadOnlyDictionary<string, string> Known)> PlanAsync(
        IReadOnlyList<StackToDeploy> stage, IReadOnlyList<StackToDeploy> chosen, IReadOnlyDictionary<string, string> values, bool buildImages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(chosen);
        ArgumentNullException.ThrowIfNull(values);
        var known = new Dictionary<string, string>(await KnownValuesAsync(stage, chosen, values, cancellationToken), StringComparer.Ordinal);
        if (_web is not null)
        {
            known.TryAdd(WebStack.ContentSecurityPolicyParameter, _web.ContentSecurityPolicy);
        }

        var later = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_images is { } images && images.Images.Any(i => !known.ContainsKey(i.DigestParameter)))
        {
            // Pushed for this commit already, or (deploying, with the registry there) pushed now.
            var registryExists = await _regions(null).CloudFormation.DescribeStackAsync(images.Stage.StackName(DesirableStacks.Registry), cancellationToken) is not null;
            var digests = buildImages && registryExists ? await images.PublishAsync(cancellationToken) : await images.FindAsync(cancellationToken);
            foreach (var image in images.Images.Where(i => !known.ContainsKey(i.DigestParameter)))
            {
                if (digests.TryGetValue(image.DigestParameter, out var digest))
                {
                    known[image.DigestParameter] = digest;
                }
                else
                {
                    later[image.DigestParameter] = $"the images ({images.Tag})";
                }
            }
        }

        return (await _stages.PlanAsync(chosen, known, later, cancellationToken), known);
    }

    /// <summary>
    /// Writes the web client to the Web stack's bucket when the Web stack is deployed, even if the stack itself did not
    /// change (new client files need no new template). Returns how many files were written.
    /// </summary>
    private async Task<int> UploadSiteAsync(IReadOnlyList<StackToDeploy> chosen, CancellationToken cancellationToken)
    {
        if (_web is null || chosen.FirstOrDefault(s => s.Tags.GetValueOrDefault("desirable:stack") == DesirableStacks.Web) is not { } webStack)
        {
            return 0;
        }

        var stack = await _regions(webStack.Region).CloudFormation.DescribeStackAsync(webStack.StackName, cancellationToken);
        return stack?.Outputs.GetValueOrDefault(WebOutputs.WebBucketName) is { } bucket
            ? await _web.UploadAsync(bucket, cancellationToken)
            : throw new StackDeploymentException($"{webStack.StackName} has no {WebOutputs.WebBucketName} output, so the web client has nowhere to go.");
    }

    /// <summary>The values given, and the outputs of the stage's stacks that are not deployed now (a chosen stack's inputs).</summary>
    private async Task<IReadOnlyDictionary<string, string>> KnownValuesAsync(
        IReadOnlyList<StackToDeploy> stage, IReadOnlyList<StackToDeploy> chosen, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        var known = new Dictionary<string, string>(values, StringComparer.Ordinal);
        foreach (var other in stage.Where(s => !chosen.Contains(s)))
        {
            if (await _regions(other.Region).CloudFormation.DescribeStackAsync(other.StackName, cancellationToken) is { } description)
            {
                foreach (var (key, value) in description.Outputs)
                {
                    known.TryAdd(key, value);
                }
            }
        }

        return known;
    }

    /// <summary>Data a stack keeps when it is deleted, each with how to delete it by hand.</summary>
    private static IEnumerable<string> RetainedData(StackDescription stack)
    {
        if (stack.Outputs.TryGetValue(MediaOutputs.BucketName, out var bucket))
        {
            yield return $"The media bucket {bucket} (unless the stage is disposable): aws s3 rb s3://{bucket} --force";
        }

        if (stack.Outputs.TryGetValue(MediaOutputs.StageKeyArn, out var key))
        {
            // Deleting the key first would leave the kept media unreadable.
            yield return $"The stage's KMS key {key} (unless the stage is disposable), which encrypts the kept bucket: once the bucket is deleted, " +
                $"aws kms schedule-key-deletion --key-id {key} --pending-window-in-days 7";
        }

        if (stack.Outputs.TryGetValue(RegistryOutputs.CachePrefix, out var prefix))
        {
            yield return $"The telemetry collector's image, which ECR cached under {prefix}/ (ECR made its repository, not the stack): " +
                $"aws ecr delete-repository --repository-name {prefix}/{TelemetryCollector.Image} --force";
        }

        if (stack.Outputs.TryGetValue(DatabaseOutputs.AtlasCluster, out var cluster))
        {
            yield return $"The Atlas cluster {cluster} (unless the stage is disposable): terminate it in Atlas (Database, the cluster's menu, Terminate), then delete the project.";
        }
    }
}

public enum StageDeployOutcome
{
    /// <summary>Every chosen stack is as its template, parameters and tags say.</summary>
    NothingToDo,

    /// <summary>The plan was not confirmed; nothing changed.</summary>
    Declined,

    Applied,
}

/// <param name="Plan">What was planned.</param>
/// <param name="Outcome">Whether it was applied.</param>
/// <param name="Stacks">Each stack as it ended.</param>
/// <param name="SiteFiles">How many files of the web client were written to the site's bucket.</param>
public sealed record StageDeployResult(StagePlan Plan, StageDeployOutcome Outcome, IReadOnlyList<StackDeploymentResult> Stacks, int SiteFiles = 0)
{
    /// <summary>Every output of the applied stacks, the site's address first.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Outputs =>
    [
        .. Stacks.SelectMany(s => s.Stack.Outputs).OrderBy(o => o.Key switch
        {
            WebOutputs.SiteUrl => 0,
            ApiOutputs.LoadBalancerDnsName => 1,
            _ => 2,
        }),
    ];
}

public enum StageRemoveOutcome
{
    /// <summary>None of the chosen stacks exists.</summary>
    NothingToDo,

    Declined,

    Removed,
}

public sealed record StageRemoveResult(StageRemoveOutcome Outcome, IReadOnlyList<string> Removed, IReadOnlyList<string> Retained);
