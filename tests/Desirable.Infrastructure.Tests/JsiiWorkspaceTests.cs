using System.Diagnostics;

namespace Desirable.Infrastructure.Tests;

/// <summary>A synthesis leaves nothing in the temp directory (jsii's extracted CDK packages went unremoved, 64 MB each).</summary>
public sealed class JsiiWorkspaceTests
{
    [Fact]
    public async Task TheSynthesisProgramLeavesNothingInTheTempDirectory()
    {
        var temp = Directory.CreateTempSubdirectory("desirable-jsii-").FullName;
        var output = Path.Combine(Path.GetTempPath(), $"desirable-synth-{Guid.NewGuid():N}");
        try
        {
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Desirable.Infrastructure.dll"), "--stage", "tidy", "--out", output])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["TMPDIR"] = temp;
            using var synthesis = Process.Start(start)!;
            var errors = synthesis.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await synthesis.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            await synthesis.WaitForExitAsync(TestContext.Current.CancellationToken);

            Assert.True(synthesis.ExitCode == 0, await errors);
            Assert.True(File.Exists(Path.Combine(output, "media.template.json")), "The synthesis wrote no templates.");
            Assert.Empty(Directory.EnumerateFileSystemEntries(temp, "*", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
