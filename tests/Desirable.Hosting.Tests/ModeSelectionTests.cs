using Aspire.Hosting.ApplicationModel;
using Desirable.Hosting.Modes;

namespace Desirable.Hosting.Tests;

public class ModeSelectionTests
{
    private static readonly ContainerRuntime DockerEngine = new("docker", "docker", "Docker Engine - Community 27.3.1");

    private static readonly Func<ContainerRuntimeReport> NoRuntime = () => ContainerRuntimeReport.None;

    private static readonly Func<ContainerRuntimeReport> Docker = () => new(DockerEngine, [new("docker", DockerEngine, null)], TimeSpan.Zero);

    private static readonly Func<ContainerRuntimeReport> DaemonDown = () => new(null,
        [new("docker", null, "docker is installed, but the Docker daemon is not running. Start Docker Desktop, or 'sudo systemctl start docker'.")],
        TimeSpan.Zero);

    private static readonly Func<ContainerRuntimeReport> MustNotProbe = () => throw new InvalidOperationException("The runtime must not be probed.");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("auto")]
    [InlineData(" Auto ")]
    public void AutoWithoutAContainerRuntimeIsEmbeddedAndSaysNoneIsInstalled(string? requested)
    {
        var selection = ModeSelection.Decide(requested, null, NoRuntime);

        Assert.Equal(DesirableMode.Embedded, selection.Mode);
        Assert.Equal("auto: no container runtime can run containers. Neither docker nor podman is installed.", selection.Reason);
    }

    [Fact]
    public void AutoWithDockersDaemonDownIsEmbeddedAndSaysWhy()
    {
        var selection = ModeSelection.Decide("auto", null, DaemonDown);

        Assert.Equal(DesirableMode.Embedded, selection.Mode);
        Assert.Contains("the Docker daemon is not running", selection.Reason, StringComparison.Ordinal);
        Assert.Null(selection.Runtime);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("auto")]
    public void AutoWithAContainerRuntimeIsContainersAndSaysHowToOptOut(string? requested)
    {
        var selection = ModeSelection.Decide(requested, null, Docker);

        Assert.Equal(DesirableMode.Containers, selection.Mode);
        Assert.Equal("auto: Docker Engine - Community 27.3.1 answered (set Desirable:Mode=embedded to run without containers)", selection.Reason);
        Assert.Equal((DockerEngine, AwsEmulatorImage.Floci), (selection.Runtime, selection.Emulator));
    }

    [Theory]
    [InlineData("containers")]
    [InlineData("CONTAINERS")]
    public void ExplicitContainersWithARuntimeRunsOnIt(string requested)
    {
        var selection = ModeSelection.Decide(requested, "localstack", Docker);

        Assert.Equal((DesirableMode.Containers, "Desirable:Mode=containers"), (selection.Mode, selection.Reason));
        Assert.Equal(AwsEmulatorImage.LocalStack, selection.Emulator);
    }

    [Fact]
    public void ExplicitContainersWithDockersDaemonDownFailsWithTheReasonAndTheWayOut()
    {
        var error = Assert.Throws<ModeSelectionException>(() => ModeSelection.Decide("containers", null, DaemonDown));

        Assert.Equal(
            "Containers mode was asked for, but no container runtime can run containers. docker is installed, but the Docker daemon is " +
            "not running. Start Docker Desktop, or 'sudo systemctl start docker'. Or run without containers: --Desirable:Mode=embedded.",
            error.Message);
    }

    [Fact]
    public void ExplicitEmbeddedWinsOverARunningDockerAndDoesNotProbe()
    {
        var selection = ModeSelection.Decide("embedded", null, MustNotProbe);

        Assert.Equal(DesirableMode.Embedded, selection.Mode);
    }

    [Theory]
    [InlineData("cloud")]
    [InlineData("docker")]
    public void UnknownModesFailWithAClearMessage(string requested)
    {
        var error = Assert.Throws<ModeSelectionException>(() => ModeSelection.Decide(requested, null, NoRuntime));

        Assert.Equal($"Unknown Desirable:Mode '{requested}'. Use 'auto', 'embedded', 'containers' or 'aws'.", error.Message);
    }

    [Fact]
    public void AnUnknownAwsEmulatorIsAClearError()
    {
        var error = Assert.Throws<ModeSelectionException>(() => ModeSelection.Decide("containers", "moto", Docker));

        Assert.Equal("Unknown Desirable:AwsEmulator 'moto'. Use 'floci' (no account needed) or 'localstack' (needs an auth token).", error.Message);
    }

    [Theory]
    [InlineData("https://mirror.example.com")]
    [InlineData("mirror example")]
    public void ARegistryThatIsNotAHostIsAClearError(string registry)
    {
        var error = Assert.Throws<ModeSelectionException>(() => ModeSelection.Decide("containers", null, Docker, registry));

        Assert.StartsWith($"Desirable:ContainerRegistry '{registry}' is not a registry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AwsModeIsOnlyEverAskedForAndNeedsNoContainerRuntime()
    {
        var selection = ModeSelection.Decide("aws", null, MustNotProbe);

        Assert.Equal((DesirableMode.Aws, "Desirable:Mode=aws", null), (selection.Mode, selection.Reason, selection.Runtime));
    }
}
