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

    [Fact]
    public void AutoWithDockerStaysEmbeddedUntilTheContainersModeExistsAndSaysSo()
    {
        var selection = ModeSelection.Decide("auto", Docker);

        Assert.Equal(DesirableMode.Embedded, selection.Mode);
        Assert.Contains("docker answered", selection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplicitEmbeddedDoesNotProbe()
    {
        var selection = ModeSelection.Decide("embedded", () => throw new InvalidOperationException("must not probe"));

        Assert.Equal(DesirableMode.Embedded, selection.Mode);
    }

    [Theory]
    [InlineData("containers", "not part of this version")]
    [InlineData("cloud", "Unknown Desirable:Mode")]
    public void UnavailableOrUnknownModesFailWithAClearMessage(string requested, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ModeSelection.Decide(requested, NoRuntime));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
