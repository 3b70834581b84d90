using Aspire.Hosting;
using MongoDB.Driver;
using Testcontainers.MongoDb;

namespace Desirable.Hosting.Tests;

/// <summary>
/// A real MongoDB server for the checks that need one: <c>DESIRABLE_TEST_MONGO</c> (a connection string) wins;
/// otherwise the AppHost's own image in a Testcontainers container when a container runtime answers; otherwise
/// the test is skipped with the reason.
/// </summary>
internal sealed class RealMongo : IAsyncDisposable
{
    public const string EnvironmentVariable = "DESIRABLE_TEST_MONGO";

    private readonly MongoDbContainer? _container;

    private RealMongo(int port, MongoDbContainer? container) => (Port, _container) = (port, container);

    public int Port { get; }

    public static async Task<RealMongo> StartAsync(CancellationToken cancellationToken)
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new RealMongo(MongoUrl.Create(configured).Server.Port, null);
        }

        var image = $"{MongoDBContainerImageTags.Image}:{MongoDBContainerImageTags.Tag}";
        MongoDbContainer? container = null;
        try
        {
            container = new MongoDbBuilder(image).Build();
            await container.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (container is not null)
            {
                await container.DisposeAsync();
            }

            Assert.Skip($"No MongoDB server: {EnvironmentVariable} is not set and Testcontainers could not start {image} " +
                $"({e.GetType().Name}: {e.Message.Split('\n', 2)[0].Trim()}). Set {EnvironmentVariable}=mongodb://... or start Docker to run this test.");
        }

        return new RealMongo(container.GetMappedPublicPort(27017), container);
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }
}
