namespace Desirable.Aws.CloudFormation;

/// <summary>
/// What applying a stack's template would do, before anything changes: a change set waiting to be executed, or the
/// finding that nothing would change. Execute it with <see cref="StackDeployer.ExecuteAsync"/> or drop it with
/// <see cref="StackDeployer.DiscardAsync"/>.
/// </summary>
/// <param name="Deployment">What the plan applies.</param>
/// <param name="Kind">Whether the stack is created, updated, created again after a failed first creation, or left alone.</param>
/// <param name="ChangeSetName">The change set to execute; null when nothing changes or the stack must be deleted first.</param>
/// <param name="Changes">Every resource's change.</param>
/// <param name="Losses">The changes that replace or remove a resource holding data.</param>
/// <param name="Current">The stack as it is; null when it does not exist.</param>
public sealed record StackPlan(
    StackDeployment Deployment,
    StackPlanKind Kind,
    string? ChangeSetName,
    IReadOnlyList<ResourceChange> Changes,
    IReadOnlyList<ResourceChange> Losses,
    StackDescription? Current)
{
    public string StackName => Deployment.StackName;

    public int Count(string action) => Changes.Count(c => c.Action == action);

    /// <summary>Modified resources that are replaced (a new physical resource, the old one deleted).</summary>
    public int Replaced => Changes.Count(c => c.Action == "Modify" && c.Replacement is "True" or "Conditional");
}

public enum StackPlanKind
{
    Create,
    Update,

    /// <summary>The first creation failed and rolled back: the stack is deleted and created again.</summary>
    Recreate,
    Unchanged,
}
