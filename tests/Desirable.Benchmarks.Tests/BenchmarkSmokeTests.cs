using System.Diagnostics;

namespace Desirable.Benchmarks.Tests;

/// <summary>
/// Every benchmark in the README, built and run in its seconds-long smoke mode (<c>--smoke</c>), so that none can
/// break unseen between the runs that measure. The figures of a smoke run mean nothing and are not judged; that the
/// benchmark runs to its end and prints its table is. A benchmark that cannot run on this machine (exit code 2: no
/// wrk, port 5080 taken) is reported as skipped with its reason.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Theory]
    [InlineData("Desirable.UploadBench", "| size    | SDK to S3 MiB/s |")]
    [InlineData("Desirable.ThumbnailBench", "| set | path | workers | thumbs/s |")]
    [InlineData("Desirable.GatewayBench", "protected gateway")]
    [InlineData("Desirable.FootprintBench", "reference: an empty ASP.NET Core app")]
    [InlineData("Desirable.LoadBench", "Pipeline rate (upload to Ready")]
    [InlineData("Desirable.ListBench", "| query | media service p50 ms |")]
    [InlineData("Desirable.ClientBench", "| repeat visit: navigation to the first thumbnail painted")]
    public async Task TheBenchmarkRunsToItsEndInSmokeMode(string benchmark, string table)
    {
        var assembly = Path.Combine(RepositoryPaths.Root, "bench", benchmark, "bin", Configuration, "net10.0", $"{benchmark}.dll");
        Assert.True(File.Exists(assembly), $"{assembly} is not built.");

        var (exitCode, output, errors) = await RunAsync(assembly);

        if (exitCode == 2)
        {
            Assert.Skip($"{benchmark} cannot run here: {errors.Trim()}");
        }

        Assert.True(exitCode == 0, $"{benchmark} --smoke exited with {exitCode}.\n{errors}\n{Tail(output)}");
        Assert.Contains(table, output, StringComparison.Ordinal);
    }

    /// <summary>The configuration these tests were built in, which built the benchmarks too.</summary>
    private static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string assembly)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", [assembly, "--smoke"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        })!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(Patience);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await errors);
    }

    private static string Tail(string output) => output.Length <= 4000 ? output : output[^4000..];
}
