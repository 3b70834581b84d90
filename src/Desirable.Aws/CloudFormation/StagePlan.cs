using System.Globalization;
using System.Text;

namespace Desirable.Aws.CloudFormation;

/// <summary>One stack of a stage, to be brought to its template; in <see cref="Region"/>, or the stage's region when null.</summary>
public sealed record StackToDeploy(string StackName, string TemplateBody, IReadOnlyDictionary<string, string> Tags, string? Region = null);

/// <summary>
/// What deploying a stage would do, stack by stack in order, before anything changes. A stack whose parameters come
/// from a stack that does not exist yet cannot have a change set until that one is created: it is planned from its
/// template (every resource added) and gets its change set when its turn comes.
/// </summary>
public sealed record StagePlan(IReadOnlyList<StagePlanStep> Steps)
{
    public bool ChangesAnything => Steps.Any(s => s.Plan is null || s.Plan.Kind != StackPlanKind.Unchanged);

    /// <summary>Resources holding data that would be replaced or removed, by stack.</summary>
    public IReadOnlyList<(string Stack, ResourceChange Change)> Losses =>
        [.. Steps.Where(s => s.Plan is not null).SelectMany(s => s.Plan!.Losses.Select(l => (s.Stack.StackName, l)))];

    /// <summary>The plan as a person reads it: per stack, what is added, modified, replaced and removed, losses called out.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        var width = Steps.Max(s => s.Stack.StackName.Length);
        foreach (var step in Steps)
        {
            text.Append("  ").Append(step.Stack.StackName.PadRight(width)).Append("  ").AppendLine(Summary(step));
            foreach (var change in step.Plan?.Changes.Where(c => c.Action != "Add" || step.Plan.Kind == StackPlanKind.Update) ?? [])
            {
                text.Append(CultureInfo.InvariantCulture, $"      {Sign(change)} {change.LogicalResourceId} ({change.ResourceType})");
                text.AppendLine(change.Replacement is "True" or "Conditional" ? " - replaced" : "");
            }

            foreach (var loss in step.Plan?.Losses ?? [])
            {
                text.Append(CultureInfo.InvariantCulture, $"      ! {loss.LogicalResourceId} ({loss.ResourceType}) holds data and would be ")
                    .AppendLine(loss.Action == "Remove" ? "removed." : "replaced: what it holds does not move to the new one.");
            }
        }

        return text.ToString();
    }

    private static string Summary(StagePlanStep step) => step.Plan switch
    {
        null when step.Awaits is { Count: > 0 } =>
            $"planned after {string.Join(", ", step.After)} ({step.TemplateResources} resources in its template)",
        null => $"create after {string.Join(", ", step.After)}: {Adds(step.TemplateResources)}",
        { Kind: StackPlanKind.Unchanged } => "unchanged",
        { Kind: StackPlanKind.Create } plan => $"create: {Adds(plan.Count("Add"))}",
        { Kind: StackPlanKind.Recreate } plan => $"create again (its first creation failed and rolled back): {Adds(plan.Count("Add"))}",
        var plan => string.Create(CultureInfo.InvariantCulture,
            $"update: {plan.Count("Add")} to add, {plan.Count("Modify")} to modify ({plan.Replaced} replaced), {plan.Count("Remove")} to remove"),
    };

    private static string Adds(int count) => string.Create(CultureInfo.InvariantCulture, $"{count} resource{(count == 1 ? "" : "s")} to add");

    private static char Sign(ResourceChange change) => change.Action switch
    {
        "Add" => '+',
        "Remove" => '-',
        _ => '~',
    };
}

/// <summary>
/// One stack's part of a <see cref="StagePlan"/>: its <see cref="Plan"/>, or, when it waits for stacks that do not
/// exist yet (or for values that come during the deployment, such as the images), what it waits for
/// (<see cref="After"/>), the parameters among them no stack provides (<see cref="Awaits"/>) and how many resources
/// its template adds.
/// </summary>
public sealed record StagePlanStep(StackToDeploy Stack, StackPlan? Plan, IReadOnlyList<string> After, int TemplateResources, IReadOnlyList<string>? Awaits = null);
