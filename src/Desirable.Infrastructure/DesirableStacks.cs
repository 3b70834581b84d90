using Amazon.CDK;

namespace Desirable.Infrastructure;

/// <summary>
/// Every stack of a stage, added to one CDK app. The stack ids double as the short names in
/// <c>desirable-{stage}-{name}</c>; they are a contract (the AppHost and the deployment find stacks by them).
/// </summary>
public static class DesirableStacks
{
    public const string Media = "media";
    public const string Database = "database";
    public const string Auth = "auth";
    public const string Registry = "registry";
    public const string Api = "api";
    public const string Monitoring = "monitoring";
    public const string Edge = "edge";
    public const string Web = "web";

    /// <summary>The resource stacks, in the order they are provisioned: what the AppHost provisions for local services.</summary>
    public static IReadOnlyList<string> ResourceStacks { get; } = [Media, Database, Auth];

    /// <summary>
    /// The stacks a deployment adds, in order: the images' repositories first, then the services that run them, then
    /// what watches them, then the site in front of them (its us-east-1 part first).
    /// </summary>
    public static IReadOnlyList<string> DeploymentStacks { get; } = [Registry, Api, Monitoring, Edge, Web];

    /// <summary>Stacks deployed to a region of their own rather than the stage's, by name.</summary>
    public static IReadOnlyDictionary<string, string> FixedRegions { get; } = new Dictionary<string, string> { [Edge] = EdgeStack.EdgeRegion };

    public static IReadOnlyList<Stack> AddTo(App app, StageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);

        // Every resource says which stage it belongs to, so a shared account's bill and console can be read per stage.
        Tags.Of(app).Add("desirable:stage", settings.Stage.Value);

        return
        [
            new MediaStack(app, Media, settings),
            new DatabaseStack(app, Database, settings),
            new AuthStack(app, Auth, settings),
            new RegistryStack(app, Registry, settings),
            new ApiStack(app, Api, settings),
            new MonitoringStack(app, Monitoring, settings),
            new EdgeStack(app, Edge, settings),
            new WebStack(app, Web, settings),
        ];
    }

    internal static StackProps PropsFor(StageSettings settings, string stack, string description) => new()
    {
        StackName = settings.Stage.StackName(stack),
        Description = $"Desirable {stack} resources of stage {settings.Stage} ({description}).",
        // Synthesized once per stage, deployed by Desirable's own CloudFormation client to any account and region: no
        // CDK bootstrap check, no lookups, no CDKMetadata resource; only pseudo parameters.
        Synthesizer = new DefaultStackSynthesizer(new DefaultStackSynthesizerProps { GenerateBootstrapVersionRule = false }),
        AnalyticsReporting = false,
        Tags = new Dictionary<string, string> { ["desirable:stack"] = stack },
    };

    /// <summary>
    /// A parameter another stack provides: named exactly as that stack's output (or parameter), so the deployment passes
    /// the value on by name.
    /// </summary>
    internal static CfnParameter Input(Stack stack, string name, string description) =>
        new(stack, name, new CfnParameterProps { Type = "String", MinLength = 1, Description = description });

    internal static void Output(Stack stack, string key, string value, string description) =>
        _ = new CfnOutput(stack, key, new CfnOutputProps { Value = value, Description = description });
}
