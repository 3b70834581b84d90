using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;

namespace Desirable.Aws.Tests;

/// <summary>
/// A real CloudFormation to deploy to, found once per test run: <c>DESIRABLE_TEST_CLOUDFORMATION</c> (the URL of a
/// running Floci or LocalStack) wins; otherwise Testcontainers starts Floci, the containers mode's default emulator,
/// when a container runtime answers. Without either, <see cref="UnavailableReason"/> says why and the tests skip.
/// </summary>
public sealed class CloudFormationEmulator : IAsyncLifetime
{
    public const string EnvironmentVariable = "DESIRABLE_TEST_CLOUDFORMATION";

    /// <summary>The image and tag the AppHost runs in containers mode.</summary>
    public const string Image = "floci/floci:1.5.11";

    private IContainer? _container;

    public Uri? Url { get; private set; }

    public string? UnavailableReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            Url = new Uri(configured);
            return;
        }

        try
        {
            _container = new ContainerBuilder(Image)
                .WithPortBinding(4566, assignRandomHostPort: true)
                .WithEnvironment("FLOCI_DEFAULT_REGION", "us-east-1")
                .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r.ForPort(4566).ForPath("/")))
                .Build();
            await _container.StartAsync(TestContext.Current.CancellationToken);
            Url = new Uri($"http://{_container.Hostname}:{_container.GetMappedPublicPort(4566)}/");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            UnavailableReason =
                $"No CloudFormation emulator: {EnvironmentVariable} is not set and Testcontainers could not start {Image} " +
                $"({e.GetType().Name}: {e.Message.Split('\n', 2)[0].Trim()}). Set {EnvironmentVariable}=http://localhost:4566 or start Docker to run these tests.";
        }
    }

    /// <summary>The emulator's URL, or a skip with the reason when there is none.</summary>
    public Uri RequireUrl()
    {
        if (Url is null)
        {
            Assert.Skip(UnavailableReason ?? "No CloudFormation emulator.");
        }

        return Url;
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }
}
