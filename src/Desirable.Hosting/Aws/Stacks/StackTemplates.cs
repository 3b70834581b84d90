using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Desirable.Hosting.Tools;
using Desirable.Infrastructure;

namespace Desirable.Hosting.Aws.Stacks;

/// <summary>
/// Where the stacks' templates come from. The emulators' stage ("local") is synthesized at build time into the
/// AppHost's obj/stacks/local (see the AppHost's project file). A cloud stage is synthesized on first use by the same
/// program, into the data folder, and synthesized again only when the stacks' assembly changes.
/// </summary>
public static class StackTemplates
{
    /// <summary>The stage the emulators are named for.</summary>
    public static readonly StageName EmulatorStage = StageName.Parse("local");

    public static string EmulatorDirectory(IDistributedApplicationBuilder builder) =>
        Path.Combine(builder.AppHostDirectory, "obj", "stacks", EmulatorStage.Value);

    public static string TemplateFile(string directory, string stack) => Path.Combine(directory, $"{stack}.template.json");

    /// <summary>The output keys a template declares.</summary>
    public static IReadOnlyList<string> OutputKeys(string templateFile)
    {
        if (!File.Exists(templateFile))
        {
            throw new InvalidOperationException(
                $"The synthesized template {templateFile} is missing. Build the AppHost (dotnet build), which synthesizes the stacks with Node.");
        }

        return [.. JsonNode.Parse(File.ReadAllText(templateFile))?["Outputs"]?.AsObject().Select(o => o.Key) ?? []];
    }

    /// <summary>
    /// Synthesizes a stage's stacks into <c>{dataDirectory}/stacks/{stage}</c> unless the folder already holds them for
    /// this build of the stacks; returns the folder.
    /// </summary>
    public static async Task<string> SynthesizeAsync(StageName stage, bool disposable, string dataDirectory, CancellationToken cancellationToken)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "Desirable.Infrastructure.dll");
        var directory = Path.Combine(dataDirectory, "stacks", stage.Value);
        var stamp = Path.Combine(directory, "inputs.sha256");
        var inputs = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(program, cancellationToken))) + (disposable ? " disposable" : "");
        if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp, cancellationToken) == inputs)
        {
            return directory;
        }

        List<string> arguments = [program, "--stage", stage.Value, "--out", directory];
        if (disposable)
        {
            arguments.Add("--disposable");
        }

        var (exitCode, output) = await ToolProcess.RunAsync(ToolProcess.Command("dotnet", arguments), cancellationToken);
        if (exitCode != 0)
        {
            throw new StackSynthesisException(
                $"Synthesizing the stacks of stage {stage} failed (exit code {exitCode}); is Node installed? The tool's output follows in the log.", output);
        }

        await File.WriteAllTextAsync(stamp, inputs, cancellationToken);
        return directory;
    }
}

/// <summary>Synthesis failed; <see cref="ToolOutput"/> goes to the log, the message to the dashboard.</summary>
public sealed class StackSynthesisException(string message, string toolOutput) : Exception(message)
{
    public string ToolOutput { get; } = toolOutput;
}
