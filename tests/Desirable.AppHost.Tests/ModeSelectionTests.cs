using Desirable.AppHost.Modes;

namespace Desirable.AppHost.Tests;

public class ModeSelectionTests
{
    private static readonly Func<string?> NoRuntime = () => null;
    private static readonly Func<string?> Docker = () => "docker";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("auto")]
    [InlineData(" Auto ")]
    public void AutoWithoutAContainerRuntimeIsEmbedded(string? requested)
    {
        var selection = ModeSelection.Decide(requested, NoRuntime);

        Assert.Equal(DesirableMode.Embedded, selection.Mode);
        Assert.Contains("no container runtime", selection.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("auto")]
    public void AutoWithAContainerRuntimeIsContainersAndSaysHowToOptOut(string? requested)
    {
        var selection = ModeSelection.Decide(requested, Docker);

        Assert.Equal(DesirableMode.Containers, selection.Mode);
        Assert.Contains("docker answered", selection.Reason, StringComparison.Ordinal);
        Assert.Contains("Desirable:Mode=embedded", selection.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("containers")]
    [InlineData("CONTAINERS")]
    public void ExplicitContainersWithARuntimeHasNoWarning(string requested)
    {
        var selection = ModeSelection.Decide(requested, Docker);

        Assert.Equal(DesirableMode.Containers, selection.Mode);
        Assert.Equal("Desirable:Mode=containers", selection.Reason);
        Assert.Null(selection.Warning);
    }

    [Fact]
    public void ExplicitContainersWithoutARuntimeIsHonouredButWarnsWithTheWayOut()
    {
        var selection = ModeSelection.Decide("containers", NoRuntime);

        Assert.Equal(DesirableMode.Containers, selection.Mode);
        Assert.Contains("Neither docker nor podman answered", selection.Warning, StringComparison.Ordinal);
        Assert.Contains("--Desirable:Mode=embedded", selection.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplicitEmbeddedWinsOverARunningDocker()
    {
        var selection = ModeSelection.Decide("embedded", Docker);

        Assert.Equal(DesirableMode.Embedded, selection.Mode);
    }

    [Fact]
    public void ExplicitEmbeddedDoesNotProbe()
    {
        var selection = ModeSelection.Decide("embedded", () => throw new InvalidOperationException("must not probe"));

        Assert.Equal(DesirableMode.Embedded, selection.Mode);
    }

    [Theory]
    [InlineData("cloud")]
    [InlineData("docker")]
    public void UnknownModesFailWithAClearMessage(string requested)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ModeSelection.Decide(requested, NoRuntime));

        Assert.Contains("Unknown Desirable:Mode", error.Message, StringComparison.Ordinal);
        Assert.Contains("'auto', 'embedded', 'containers' or 'aws'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AwsModeIsOnlyEverAskedForAndNeedsNoContainerRuntime()
    {
        var selection = ModeSelection.Decide("aws", () => throw new InvalidOperationException("The runtime must not be probed."));

        Assert.Equal((DesirableMode.Aws, "Desirable:Mode=aws", null), (selection.Mode, selection.Reason, selection.Warning));
    }
}
