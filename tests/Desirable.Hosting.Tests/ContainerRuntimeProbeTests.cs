using Desirable.Hosting.Modes;
using static Desirable.Testing.StandInRuntimes;

namespace Desirable.Hosting.Tests;

/// <summary>
/// The runtime probe against stand-in docker and podman executables (test doubles: no runtime runs here), each
/// answering as the real one does. The decision comes from what they print, never from the exit code alone.
/// </summary>
public class ContainerRuntimeProbeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void AHealthyDockerStandInIsUsedAsDocker()
    {
        var report = ContainerRuntimeProbe.Probe(Create(Behaviour.DockerHealthy), only: null, Timeout);

        Assert.Equal(new ContainerRuntime("docker", "docker", "Docker Engine - Community 27.3.1"), report.Usable);
    }

    [Fact]
    public void ADockerStandInWhoseDaemonIsDownIsNotUsedAndSaysSo()
    {
        var report = ContainerRuntimeProbe.Probe(Create(Behaviour.DockerDaemonDown), only: null, Timeout);

        Assert.Null(report.Usable);
        var answer = Assert.Single(report.Answers);
        Assert.Equal("docker is installed, but the Docker daemon is not running. Start Docker Desktop, or 'sudo systemctl start docker'.", answer.Problem);
        Assert.Equal("the Docker daemon is not running", answer.ShortProblem);
        Assert.Contains("unix:///var/run/docker.sock", answer.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("docker.sock", report.WhyNone, StringComparison.Ordinal);
    }

    [Fact]
    public void ADockerStandInDeniedItsSocketSaysPermissionDeniedAndHowToJoinTheGroup()
    {
        var report = ContainerRuntimeProbe.Probe(Create(Behaviour.DockerPermissionDenied), only: null, Timeout);

        Assert.Null(report.Usable);
        Assert.Contains("permission denied", report.WhyNone, StringComparison.Ordinal);
        Assert.Contains("usermod -aG docker", report.WhyNone, StringComparison.Ordinal);
    }

    [Fact]
    public void ANativePodmanStandInIsFoundAndNamedPodman()
    {
        var report = ContainerRuntimeProbe.Probe(Create(Behaviour.PodmanNative), only: null, Timeout);

        Assert.Equal(new ContainerRuntime("podman", "podman", "Podman 5.2.2"), report.Usable);
    }

    [Fact]
    public void ThePodmanDockerShimStandInIsRecognisedAsPodman()
    {
        var report = ContainerRuntimeProbe.Probe(Create(Behaviour.PodmanDockerShim, Behaviour.PodmanNative), only: "docker", Timeout);

        Assert.Equal(new ContainerRuntime("podman", "docker", "Podman 5.2.2 (through the docker command)"), report.Usable);
    }

    [Fact]
    public void APodmanStandInWhoseMachineIsStoppedSaysHowToStartIt()
    {
        var report = ContainerRuntimeProbe.Probe(Create(Behaviour.PodmanMachineDown), only: null, Timeout);

        Assert.Null(report.Usable);
        Assert.Equal("podman is installed, but its machine is not running. Start it with 'podman machine start'.", report.WhyNone);
    }

    [Fact]
    public void PodmanIsUsedWhenDockersDaemonIsDown_WithStandIns()
    {
        var report = ContainerRuntimeProbe.Probe(Create(Behaviour.DockerDaemonDown, Behaviour.PodmanNative), only: null, Timeout);

        Assert.Equal("podman", report.Usable?.Name);
        Assert.Equal(2, report.Answers.Count);
    }

    [Fact]
    public void DockerIsPreferredWhenBothAnswer_WithStandIns()
    {
        var report = ContainerRuntimeProbe.Probe(Create(Behaviour.DockerHealthy, Behaviour.PodmanNative), only: null, Timeout);

        Assert.Equal("docker", report.Usable?.Name);
    }

    [Fact]
    public void AHangingDockerStandInIsGivenUpOnAfterTheTimeout()
    {
        var report = ContainerRuntimeProbe.Probe(Create(Behaviour.DockerHangs), only: null, TimeSpan.FromMilliseconds(500));

        Assert.Null(report.Usable);
        Assert.StartsWith("docker did not answer within", report.WhyNone, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingInstalledIsSaidPlainly_WithAnEmptyStandInPath()
    {
        var report = ContainerRuntimeProbe.Probe(Create(), only: null, Timeout);

        Assert.Null(report.Usable);
        Assert.Empty(report.Answers);
        Assert.Equal("Neither docker nor podman is installed.", report.WhyNone);
    }

    [Fact]
    public void OnlyTheRuntimeAspireIsToldToUseIsAsked_WithStandIns()
    {
        var report = ContainerRuntimeProbe.Probe(Create(Behaviour.DockerHealthy, Behaviour.PodmanNative), only: "podman", Timeout);

        Assert.Equal("podman", Assert.Single(report.Answers).Command);
    }

    [Fact]
    public void ADaemonErrorWithExitCodeZeroIsStillADaemonError()
    {
        // docker info --format exits 0 with the daemon down (docker/cli#5900): the output decides, not the exit code.
        var answer = ContainerRuntimeProbe.Interpret("docker", 0, """{"Client":{"Version":"28.0.1","Os":"linux","Arch":"amd64"},"Server":null}""",
            "Cannot connect to the Docker daemon at unix:///non-existent. Is the docker daemon running?");

        Assert.Null(answer.Runtime);
        Assert.Contains("the Docker daemon is not running", answer.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void DockerInWindowsContainerModeIsRefusedWithTheReason()
    {
        var answer = ContainerRuntimeProbe.Interpret("docker", 0, """{"Client":{"Os":"windows"},"Server":{"Version":"27.3.1","Os":"windows"}}""", "");

        Assert.Null(answer.Runtime);
        Assert.Contains("Switch Docker Desktop to Linux containers", answer.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputThatIsNotJsonIsAnEngineThatDidNotAnswer()
    {
        var answer = ContainerRuntimeProbe.Interpret("docker", 1, "unknown flag: --format", "");

        Assert.Null(answer.Runtime);
        Assert.Equal("docker is installed, but its engine did not answer (exit code 1); the mode resource's log has its message.", answer.Problem);
    }
}
