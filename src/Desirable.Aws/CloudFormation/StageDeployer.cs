using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Desirable.Aws.CloudFormation;

/// <summary>
/// Deploys the stacks of a stage in order, each stack's parameters filled from the values given and from the outputs
/// of the stacks before it, by name (a parameter named <c>MediaBucketName</c> gets the output <c>MediaBucketName</c>).
/// Planning changes nothing but change sets; executing applies them in order, and if one stack fails the change sets
/// of the stacks after it are dropped, so a half-deployed stage never goes on to its later stacks.
/// </summary>
public sealed partial class StageDeployer(Func<string?, StageRegion> regions, ILogger logger)
{
    /// <summary>A stage whose stacks all live in one region, the client's.</summary>
    public StageDeployer(CloudFormationClient cloudFormation, StackDeployer deployer, ILogger logger)
        : this(_ => new StageRegion(cloudFormation, deployer), logger)
    {
    }

    /// <param name="stacks">The stage's stacks, in dependency order.</param>
    /// <param name="values">Values of parameters no stack provides (image digests, settings of the stage).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public Task<StagePlan> PlanAsync(IReadOnlyList<StackToDeploy> stacks, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken) =>
        PlanAsync(stacks, values, new Dictionary<string, string>(), cancellationToken);

    /// <param name="stacks">The stage's stacks, in dependency order.</param>
    /// <param name="values">Values of parameters no stack provides (image digests, settings of the stage).</param>
    /// <param name="later">
    /// Parameters whose values come only during the deployment, each with what provides them (the images, pushed once
    /// their registry exists): a stack that needs one is planned from its template and gets its values, through
    /// <see cref="ExecuteAsync"/>'s <c>provideLater</c>, when its turn comes.
    /// </param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task<StagePlan> PlanAsync(
        IReadOnlyList<StackToDeploy> stacks, IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string> later, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(later);
        var known = new Dictionary<string, string>(values, StringComparer.Ordinal);
        var providers = new Dictionary<string, string>(StringComparer.Ordinal);
        var steps = new List<StagePlanStep>();
        try
        {
            foreach (var stack in stacks)
            {
                var template = Template.Read(stack);
                var missing = template.Required.Where(p => !known.ContainsKey(p)).ToList();
                if (missing.Count == 0)
                {
                    var plan = await regions(stack.Region).Deployer.PlanAsync(Deployment(stack, template, known), cancellationToken);
                    steps.Add(new StagePlanStep(stack, plan, [], template.ResourceCount));
                    foreach (var (key, value) in plan.Current?.Outputs ?? new Dictionary<string, string>())
                    {
                        known.TryAdd(key, value);
                    }
                }
                else
                {
                    var unprovided = missing.Where(p => !providers.ContainsKey(p) && !later.ContainsKey(p)).ToList();
                    if (unprovided.Count > 0)
                    {
                        throw new StackDeploymentException(
                            $"{stack.StackName} needs {string.Join(", ", unprovided)}, which no stack before it provides and the deployment was not given.");
                    }

                    var awaits = missing.Where(p => !providers.ContainsKey(p)).ToList();
                    steps.Add(new StagePlanStep(stack, null,
                        [.. missing.Select(p => providers.TryGetValue(p, out var provider) ? provider : later[p]).Distinct()], template.ResourceCount, awaits));
                }

                foreach (var output in template.OutputNames)
                {
                    providers.TryAdd(output, stack.StackName);
                }
            }
        }
        catch
        {
            await DiscardAsync(new StagePlan(steps), CancellationToken.None);
            throw;
        }

        return new StagePlan(steps);
    }

    /// <summary>
    /// Applies <paramref name="plan"/> stack by stack, following each until it settles, and returns every stack as it
    /// ended; the first failure stops it with the failing resources' reasons.
    /// </summary>
    /// <param name="plan">What <see cref="PlanAsync(IReadOnlyList{StackToDeploy}, IReadOnlyDictionary{string, string}, IReadOnlyDictionary{string, string}, CancellationToken)"/> planned.</param>
    /// <param name="values">The values the plan was made with.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <param name="provideLater">Gives the values of the plan's later parameters, when the first stack that needs them is next.</param>
    public async Task<IReadOnlyList<StackDeploymentResult>> ExecuteAsync(
        StagePlan plan,
        IReadOnlyDictionary<string, string> values,
        CancellationToken cancellationToken,
        Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyDictionary<string, string>>>? provideLater = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(values);
        var known = new Dictionary<string, string>(values, StringComparer.Ordinal);
        var results = new List<StackDeploymentResult>();
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            try
            {
                var awaited = step.Awaits?.Where(p => !known.ContainsKey(p)).ToList() ?? [];
                if (awaited.Count > 0)
                {
                    var provided = provideLater is null
                        ? throw new StackDeploymentException($"{step.Stack.StackName} waits for {string.Join(", ", awaited)}, and nothing provides them.")
                        : await provideLater(awaited, cancellationToken);
                    foreach (var (key, value) in provided)
                    {
                        known[key] = value;
                    }
                }

                var deployer = regions(step.Stack.Region).Deployer;
                var stackPlan = step.Plan ?? await deployer.PlanAsync(Deployment(step.Stack, Template.Read(step.Stack), known), cancellationToken);
                var result = await deployer.ExecuteAsync(stackPlan, cancellationToken);
                results.Add(result);
                foreach (var (key, value) in result.Stack.Outputs)
                {
                    known.TryAdd(key, value);
                }
            }
            catch
            {
                LogStopped(logger, step.Stack.StackName, plan.Steps.Count - i - 1);
                await DiscardAsync(new StagePlan(plan.Steps.Skip(i + 1).ToList()), CancellationToken.None);
                throw;
            }
        }

        return results;
    }

    /// <summary>Drops every change set of a plan that will not be applied.</summary>
    public async Task DiscardAsync(StagePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var step in plan.Steps.Where(s => s.Plan is not null))
        {
            try
            {
                await regions(step.Stack.Region).Deployer.DiscardAsync(step.Plan!, cancellationToken);
            }
            catch (CloudFormationException e)
            {
                LogDiscardFailed(logger, step.Stack.StackName, e.Message);
            }
        }
    }

    /// <summary>Deletes the stage's stacks in reverse order; those that do not exist are skipped.</summary>
    public async Task<IReadOnlyList<string>> RemoveAsync(IReadOnlyList<StackToDeploy> stacks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        var removed = new List<string>();
        foreach (var stack in stacks.Reverse())
        {
            var region = regions(stack.Region);
            if (await region.CloudFormation.DescribeStackAsync(stack.StackName, cancellationToken) is null)
            {
                continue;
            }

            await region.Deployer.DeleteAsync(stack.StackName, cancellationToken);
            removed.Add(stack.StackName);
        }

        return removed;
    }

    private static StackDeployment Deployment(StackToDeploy stack, Template template, Dictionary<string, string> known) =>
        new(stack.StackName, stack.TemplateBody,
            [.. template.ParameterNames.Where(known.ContainsKey).Select(p => new StackParameter(p, known[p]))],
            stack.Tags);

    /// <summary>What the deployment needs to know of a template: its parameters, which of them are required, its outputs.</summary>
    private sealed record Template(IReadOnlyList<string> ParameterNames, IReadOnlyList<string> Required, IReadOnlyList<string> OutputNames, int ResourceCount)
    {
        public static Template Read(StackToDeploy stack)
        {
            using var document = JsonDocument.Parse(stack.TemplateBody);
            var root = document.RootElement;
            var parameters = root.TryGetProperty("Parameters", out var p) ? p.EnumerateObject().ToList() : [];
            return new Template(
                [.. parameters.Select(x => x.Name)],
                [.. parameters.Where(x => !x.Value.TryGetProperty("Default", out _)).Select(x => x.Name)],
                root.TryGetProperty("Outputs", out var o) ? [.. o.EnumerateObject().Select(x => x.Name)] : [],
                root.TryGetProperty("Resources", out var r) ? r.EnumerateObject().Count() : 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Stack} failed; the {Count} stack(s) after it are left as they were.")]
    private static partial void LogStopped(ILogger logger, string stack, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The change set of {Stack} could not be dropped: {Reason}")]
    private static partial void LogDiscardFailed(ILogger logger, string stack, string reason);
}

/// <summary>CloudFormation in one region: its client and the deployer on it.</summary>
public sealed record StageRegion(CloudFormationClient CloudFormation, StackDeployer Deployer);
