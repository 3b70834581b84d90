using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Desirable.Infrastructure.Tests;

/// <summary>The documented command writes every stack's template to a folder without touching AWS.</summary>
[Collection(SynthesizedStageGroup.Name)]
public sealed class SynthesisProgramTests
{
    [Fact]
    public async Task SynthesisWritesOneTemplatePerStackIntoTheFolder()
    {
        var output = Directory.CreateTempSubdirectory("desirable-synth-").FullName;
        try
        {
            var (exitCode, _, error) = await RunAsync("--stage", "bob", "--out", output);

            Assert.True(exitCode == 0, error);
            foreach (var stack in DesirableStacks.ResourceStacks.Concat(DesirableStacks.DeploymentStacks))
            {
                var template = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, $"{stack}.template.json"), TestContext.Current.CancellationToken))!;
                Assert.NotNull(template["Resources"]);
            }

            var media = await File.ReadAllTextAsync(Path.Combine(output, "media.template.json"), TestContext.Current.CancellationToken);
            Assert.Contains("desirable-bob-media-processing", media, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task AStageNameAwsRejectsIsAPlainErrorAndNothingIsWritten()
    {
        var output = Path.Combine(Path.GetTempPath(), $"desirable-synth-{Guid.NewGuid():N}");

        var (exitCode, standardOutput, error) = await RunAsync("--stage", "Bob_Smith", "--out", output);

        Assert.Equal(2, exitCode);
        Assert.Contains("The stage name 'Bob_Smith' cannot be used in AWS resource names", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Empty(standardOutput);
        Assert.False(Directory.Exists(output));
    }

    [Theory]
    [InlineData("--stage")]
    [InlineData("--region", "eu-west-1")]
    public void UnknownOrIncompleteArgumentsAreRefused(params string[] args)
    {
        Assert.False(SynthesisArguments.TryParse(args, out _, out var error));
        Assert.StartsWith("Unknown or incomplete argument", error, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "Desirable.Infrastructure.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(program);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }
}
