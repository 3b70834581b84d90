using Amazon.CDK;
using Desirable.Infrastructure;

// Writes the stage's CloudFormation templates to a folder (one <stack>.template.json per stack) without touching AWS:
//   dotnet run --project src/Desirable.Infrastructure -- --stage alice --out cdk.out [--disposable]
// The AppHost runs this same program to get the templates it provisions and hands to the emulators.
if (!SynthesisArguments.TryParse(args, out var arguments, out var error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(SynthesisArguments.Usage);
    return 2;
}

JsiiWorkspace.CleanUpAtExit();
var app = new App(new AppProps { Outdir = arguments.OutputDirectory });
DesirableStacks.AddTo(app, new StageSettings(arguments.Stage, arguments.Disposable));
app.Synth();

Console.WriteLine($"Synthesized the stacks of stage {arguments.Stage} into {Path.GetFullPath(arguments.OutputDirectory)}.");
return 0;
