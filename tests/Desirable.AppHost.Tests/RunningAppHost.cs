namespace Desirable.AppHost.Tests;

/// <summary>The test classes that need the running app share one AppHost; starting it takes about 15 s.</summary>
[CollectionDefinition(Name)]
public sealed class RunningAppHost : ICollectionFixture<AppHostFixture>
{
    public const string Name = "Running AppHost";
}
