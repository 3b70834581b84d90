using System.Diagnostics;
using System.Text.Json;

namespace Desirable.Hosting.Modes;

/// <summary>
/// Finds a container runtime that can run containers now, deciding from what the runtime says rather than its exit
/// code: <c>docker info --format</c> exits 0 with the daemon down (docker/cli#5900), and Podman's output has other
/// fields than Docker's. It asks <c>{command} version --format json</c>, the call the Aspire CLI's own check makes: one
/// request to the engine, without the client plugin scan <c>docker info</c> does, so a start pays tens of milliseconds.
/// </summary>
public static class ContainerRuntimeProbe
{
    /// <summary>A starting Docker Desktop can leave the command hanging; a start does not wait longer than this.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(4);

    private static readonly string[] Commands = ["docker", "podman"];

    /// <summary>Asks docker and podman at once (found on <paramref name="searchPath"/>) and picks the one to use.</summary>
    /// <param name="searchPath">The PATH to look in; the process's own when null.</param>
    /// <param name="only">Ask only this command (the user set <c>ASPIRE_CONTAINER_RUNTIME</c>).</param>
    /// <param name="timeout">How long each command may take.</param>
    public static ContainerRuntimeReport Probe(string? searchPath, string? only, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var installed = (only is null ? Commands : [only])
            .Select(command => (Command: command, Path: Find(command, searchPath)))
            .Where(c => c.Path is not null)
            .ToList();
        var asking = installed.Select(c => Task.Run(() => Ask(c.Command, c.Path!, searchPath, timeout))).ToArray();
        Task.WaitAll(asking);
        var answers = asking.Select(a => a.Result).ToList();

        // Docker first, as Aspire's default; the shim's answer is Podman's, so either way Podman is named as such.
        var usable = answers.Select(a => a.Runtime).FirstOrDefault(r => r is not null);
        return new ContainerRuntimeReport(usable, answers, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Reads a runtime's answer to <c>version --format json</c>.</summary>
    public static ContainerRuntimeAnswer Interpret(string command, int exitCode, string output, string error)
    {
        ArgumentNullException.ThrowIfNull(command);
        var details = string.IsNullOrWhiteSpace(error) ? null : error.Trim();
        using var document = TryParse(output);
        var root = document?.RootElement;
        var client = Property(root, "Client");
        var server = Property(root, "Server");

        // Podman reports "OsArch" where Docker reports "Os" and "Arch"; through the podman-docker shim, "docker" answers so.
        if (Property(client, "OsArch") is not null)
        {
            if (exitCode != 0)
            {
                return Unusable(command, PodmanProblem(details), details);
            }

            var version = Text(server, "Version") ?? Text(client, "Version");
            var description = (version is null ? "Podman" : $"Podman {version}") + (command == "podman" ? "" : $" (through the {command} command)");
            return new(command, new ContainerRuntime("podman", command, description), null, details);
        }

        // Docker's client always answers; only a "Server" section proves that its engine did.
        if (Text(server, "Version") is { } serverVersion)
        {
            if (string.Equals(Text(server, "Os"), "windows", StringComparison.OrdinalIgnoreCase))
            {
                return Unusable(command, ("Docker runs Windows containers; MongoDB and the AWS emulator are Linux images. Switch Docker Desktop to Linux containers.",
                    "Docker runs Windows containers"), details);
            }

            var platform = Text(Property(server, "Platform"), "Name");
            var description = string.IsNullOrWhiteSpace(platform) ? $"Docker {serverVersion}" : $"{platform} {serverVersion}";
            return new(command, new ContainerRuntime("docker", command, description), null, details);
        }

        // Podman, or Docker's command run by it (the shim says so on stderr), that could not reach its engine.
        var podman = command == "podman" || Mentions(details, "podman");
        return Unusable(command, podman ? PodmanProblem(details) : DockerProblem(command, exitCode, details), details);
    }

    private static (string Problem, string Short) DockerProblem(string command, int exitCode, string? error) => error switch
    {
        _ when Mentions(error, "permission denied") => (
            $"{command} is installed, but this user may not use its socket (permission denied). Add yourself to the docker " +
            "group ('sudo usermod -aG docker $USER', then sign in again), or use Docker Desktop.",
            "the Docker socket is not permitted"),
        _ when Mentions(error, "Cannot connect to the Docker daemon") || Mentions(error, "Is the docker daemon running") => (
            $"{command} is installed, but the Docker daemon is not running. Start Docker Desktop, or 'sudo systemctl start docker'.",
            "the Docker daemon is not running"),
        _ => ($"{command} is installed, but its engine did not answer (exit code {exitCode}); the mode resource's log has its message.",
            $"{command} did not answer"),
    };

    private static (string Problem, string Short) PodmanProblem(string? error) =>
        Mentions(error, "Cannot connect to Podman") || Mentions(error, "podman machine")
            ? ("podman is installed, but its machine is not running. Start it with 'podman machine start'.", "the Podman machine is not running")
            : ("podman is installed, but it did not answer; the mode resource's log has its message.", "podman did not answer");

    private static ContainerRuntimeAnswer Unusable(string command, (string Problem, string Short) problem, string? details) =>
        new(command, null, problem.Problem, details, problem.Short);

    private static ContainerRuntimeAnswer Ask(string command, string path, string? searchPath, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(path)
        {
            ArgumentList = { "version", "--format", "json" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (searchPath is not null)
        {
            // The podman-docker shim finds podman on the same PATH.
            start.Environment["PATH"] = searchPath;
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return Unusable(command, (
                    $"{command} did not answer within {timeout.TotalSeconds:0} seconds; its engine may still be starting. Start again once it runs.",
                    $"{command} did not answer in time"), details: null);
            }

            Task.WaitAll(output, error);
            return Interpret(command, process.ExitCode, output.Result, error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // Found but not runnable (no execute permission, a broken link).
            return Unusable(command, ($"{command} is on the PATH but cannot be run.", $"{command} cannot be run"), e.Message);
        }
    }

    /// <summary>The executable's full path, looked up as a shell would.</summary>
    public static string? Find(string command, string? searchPath)
    {
        var extensions = OperatingSystem.IsWindows() ? new[] { ".exe", ".cmd" } : [""];
        foreach (var directory in (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var extension in extensions)
            {
                var candidate = Path.Combine(directory, command + extension);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static bool Mentions(string? text, string phrase) => text?.Contains(phrase, StringComparison.OrdinalIgnoreCase) == true;

    private static JsonDocument? TryParse(string output)
    {
        try
        {
            return string.IsNullOrWhiteSpace(output) ? null : JsonDocument.Parse(output);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonElement? Property(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? Text(JsonElement? element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value && value.GetString() is { Length: > 0 } text ? text : null;
}
