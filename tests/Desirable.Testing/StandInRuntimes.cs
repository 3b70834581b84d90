using System.Collections.Concurrent;
using Desirable.Hosting.Modes;

namespace Desirable.Testing;

/// <summary>
/// Stand-in <c>docker</c> and <c>podman</c> executables (shell scripts) that answer <c>version --format json</c> as
/// the real ones do in each situation, with their real output, error text and exit code: a directory of them is the
/// PATH the mode probe searches. No container runtime exists on these machines, so these are test doubles of it.
/// </summary>
public static class StandInRuntimes
{
    // Processes a test starts with these on their PATH may outlive the test, so the folders go when the test process ends.
    private static readonly ConcurrentBag<string> Folders = [];

    static StandInRuntimes() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var folder in Folders)
        {
            TemporaryDirectory.TryDelete(folder);
        }
    };

    private const string DockerClient =
        """{"Platform":{"Name":"Docker Engine - Community"},"Version":"27.3.1","ApiVersion":"1.47","DefaultAPIVersion":"1.47","GitCommit":"ce12230","GoVersion":"go1.22.7","Os":"linux","Arch":"amd64","BuildTime":"Fri Sep 20 11:41:00 2024","Context":"default"}""";

    private const string DockerServer =
        """{"Platform":{"Name":"Docker Engine - Community"},"Components":[{"Name":"Engine","Version":"27.3.1","Details":{"ApiVersion":"1.47","Arch":"amd64","BuildTime":"Fri Sep 20 11:41:00 2024","Experimental":"false","GitCommit":"41ca978","GoVersion":"go1.22.7","KernelVersion":"6.8.0-45-generic","MinAPIVersion":"1.24","Os":"linux"}},{"Name":"containerd","Version":"1.7.22","Details":{"GitCommit":"7f7fdf5fed64eb6a7caf99b3e12efcf9d60e311c"}}],"Version":"27.3.1","ApiVersion":"1.47","MinAPIVersion":"1.24","GitCommit":"41ca978","GoVersion":"go1.22.7","Os":"linux","Arch":"amd64","KernelVersion":"6.8.0-45-generic","BuildTime":"2024-09-20T11:41:00.000000000+00:00"}""";

    private const string PodmanClient =
        """{"APIVersion":"5.2.2","Version":"5.2.2","GoVersion":"go1.22.6","GitCommit":"","BuiltTime":"Tue Aug 27 00:00:00 2024","Built":1724716800,"OsArch":"linux/amd64","Os":"linux"}""";

    /// <summary>How a stand-in behaves.</summary>
    public enum Behaviour
    {
        /// <summary>Docker with its engine answering.</summary>
        DockerHealthy,

        /// <summary>Docker installed, daemon not running: client JSON, <c>"Server":null</c>, the error on stderr, exit 1.</summary>
        DockerDaemonDown,

        /// <summary>Docker installed, socket not permitted for this user.</summary>
        DockerPermissionDenied,

        /// <summary>Docker whose command never returns (a daemon that hangs, Docker Desktop half started).</summary>
        DockerHangs,

        /// <summary>Podman on Linux: no daemon, the client answers on its own.</summary>
        PodmanNative,

        /// <summary>Podman on macOS or Windows with its machine stopped.</summary>
        PodmanMachineDown,

        /// <summary>The podman-docker package's <c>docker</c>: a script that prints a notice and runs podman.</summary>
        PodmanDockerShim,
    }

    /// <summary>A fresh directory holding the stand-ins; use it as the whole PATH the probe searches.</summary>
    public static string Create(params Behaviour[] behaviours)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The stand-in runtimes are shell scripts.");
        }

        var directory = Directory.CreateTempSubdirectory("desirable-runtimes-").FullName;
        Folders.Add(directory);
        foreach (var behaviour in behaviours)
        {
            var (command, script) = Script(behaviour);
            var path = Path.Combine(directory, command);
            File.WriteAllText(path, "#!/bin/sh\n" + script + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return directory;
    }

    private static (string Command, string Script) Script(Behaviour behaviour) => behaviour switch
    {
        Behaviour.DockerHealthy => ("docker", Print($$"""{"Client":{{DockerClient}},"Server":{{DockerServer}}}""") + "exit 0"),
        Behaviour.DockerDaemonDown => ("docker",
            Print($$"""{"Client":{{DockerClient}},"Server":null}""") +
            Error("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?") + "exit 1"),
        Behaviour.DockerPermissionDenied => ("docker",
            Print($$"""{"Client":{{DockerClient}},"Server":null}""") +
            Error("permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get \"http://%2Fvar%2Frun%2Fdocker.sock/v1.47/version\": dial unix /var/run/docker.sock: connect: permission denied") +
            "exit 1"),
        Behaviour.DockerHangs => ("docker", $"exec {Executable("sleep")} 60"),
        Behaviour.PodmanNative => ("podman", Print($$"""{"Client":{{PodmanClient}}}""") + "exit 0"),
        Behaviour.PodmanMachineDown => ("podman",
            Error("Cannot connect to Podman. Please verify your connection to the Linux system using `podman system connection list`, or try `podman machine init` and `podman machine start` to manage a new Linux VM") +
            Error("Error: unable to connect to Podman socket: failed to connect: dial tcp 127.0.0.1:52341: connect: connection refused") + "exit 125"),
        // As shipped by podman-docker: the notice on stderr, then podman with the same arguments.
        Behaviour.PodmanDockerShim => ("docker",
            Error("Emulate Docker CLI using podman. Create /etc/containers/nodocker to quiet msg.") + "exec podman \"$@\""),
        _ => throw new ArgumentOutOfRangeException(nameof(behaviour)),
    };

    private static string Print(string text) => $"printf '%s\\n' '{text}'\n";

    private static string Error(string text) => $"printf '%s\\n' '{text.Replace("'", "'\\''", StringComparison.Ordinal)}' >&2\n";

    private static string Executable(string command) =>
        ContainerRuntimeProbe.Find(command, null) ?? throw new InvalidOperationException($"{command} is not on this machine's PATH.");
}
