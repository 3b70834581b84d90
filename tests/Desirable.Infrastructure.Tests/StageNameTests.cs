namespace Desirable.Infrastructure.Tests;

public sealed class StageNameTests
{
    [Theory]
    [InlineData("alice")]
    [InlineData("ci-42")]
    [InlineData("a")]
    [InlineData("production")]
    public void NamesAwsAcceptsAreStages(string name) => Assert.Equal(name, StageName.Parse(name).Value);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Alice", "lowercase")]
    [InlineData("4lice", "starting with a letter")]
    [InlineData("alice-", "not ending with a hyphen")]
    [InlineData("al--ice", "single hyphens")]
    [InlineData("al_ice", "lowercase letters, digits")]
    [InlineData("a-very-long-stage-name", "at most 16")]
    public void NamesAwsRejectsAreRefusedWithTheReason(string name, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => StageName.Parse(name));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("Alice.Smith", "alice-smith")]
    [InlineData("DOMAIN\\bob", "domain-bob")]
    [InlineData("42", "dev-42")]
    [InlineData("jean-françois-de-la-tour", "jean-fran-ois-de")]
    public void PersonalStagesAreNamedAfterTheUser(string user, string stage) =>
        Assert.Equal(stage, StageName.ForUser(user).Value);

    [Fact]
    public void StacksAreNamedDesirableStageStack() =>
        Assert.Equal("desirable-alice-media", StageName.Parse("alice").StackName(DesirableStacks.Media));
}
