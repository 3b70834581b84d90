namespace Desirable.Infrastructure;

/// <summary>What differs between stages at synthesis time; everything else is a CloudFormation parameter.</summary>
/// <param name="Stage">The stage every stack and resource is named for.</param>
/// <param name="Disposable">
/// A stage whose data may go with it (a developer's or a test stage): its bucket is deleted with the stack instead of
/// being retained. Production and staging are never disposable.
/// </param>
public sealed record StageSettings(StageName Stage, bool Disposable = false);
