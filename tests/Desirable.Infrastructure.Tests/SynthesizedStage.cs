using Amazon.CDK;
using Amazon.CDK.Assertions;

namespace Desirable.Infrastructure.Tests;

/// <summary>
/// The stacks of two stages, synthesized once for all tests (jsii starts a Node process; one is enough): a lasting
/// stage and a disposable one.
/// </summary>
public sealed class SynthesizedStage
{
    public SynthesizedStage()
    {
        JsiiWorkspace.CleanUpAtExit();
        var app = new App();
        var stacks = DesirableStacks.AddTo(app, new StageSettings(StageName.Parse("alice")));
        Media = Template.FromStack(stacks[0]);
        Database = Template.FromStack(stacks[1]);
        Auth = Template.FromStack(stacks[2]);
        Registry = Template.FromStack(stacks[3]);
        Api = Template.FromStack(stacks[4]);
        Monitoring = Template.FromStack(stacks[5]);
        Edge = Template.FromStack(stacks[6]);
        Web = Template.FromStack(stacks[7]);
        StackNames = [.. stacks.Select(s => s.StackName)];

        var disposableApp = new App();
        var disposable = DesirableStacks.AddTo(disposableApp, new StageSettings(StageName.Parse("ci-42"), Disposable: true));
        DisposableMedia = Template.FromStack(disposable[0]);
        DisposableDatabase = Template.FromStack(disposable[1]);
    }

    public Template Media { get; }

    public Template Database { get; }

    public Template Auth { get; }

    public Template Registry { get; }

    public Template Api { get; }

    public Template Monitoring { get; }

    public Template Edge { get; }

    public Template Web { get; }

    public Template DisposableMedia { get; }

    public Template DisposableDatabase { get; }

    public IReadOnlyList<string> StackNames { get; }
}

/// <summary>
/// jsii's runtime is one Node process per test process and does not start safely from two threads, so every test
/// that synthesizes shares one fixture and runs in one collection.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SynthesizedStageGroup : ICollectionFixture<SynthesizedStage>
{
    public const string Name = "Synthesized stage";
}
