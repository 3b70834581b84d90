using System.Diagnostics;

namespace Desirable.Hosting.Tools;

/// <summary>Runs a command; returns its exit code and its output (both streams). <see cref="ToolProcess.RunAsync"/> runs it for real; tests stand in for tools that cannot run here.</summary>
public delegate Task<(int ExitCode, string Output)> ToolRunner(ProcessStartInfo command, CancellationToken cancellationToken);

/// <summary>
/// A command-line tool the AppHost runs to its end (the CDK synthesis, <c>dotnet publish</c>, git), its output kept for
/// the log: a failure reaches users as a sentence, the tool's own words only the log.
/// </summary>
public static class ToolProcess
{
    /// <summary><paramref name="fileName"/> with <paramref name="arguments"/>, each passed as one argument.</summary>
    public static ProcessStartInfo Command(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var command = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory ?? "" };
        foreach (var argument in arguments)
        {
            command.ArgumentList.Add(argument);
        }

        return command;
    }

    /// <summary>Runs <paramref name="command"/> to its end; its exit code and its output (both streams).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.RedirectStandardOutput = true;
        command.RedirectStandardError = true;
        using var process = Process.Start(command) ?? throw new InvalidOperationException($"{command.FileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await error);
    }
}
