using MongoDB.Driver;
using Testcontainers.MongoDb;

[assembly: AssemblyFixture(typeof(Desirable.Media.Tests.Catalog.Mongo.MongoTestServer))]

namespace Desirable.Media.Tests.Catalog.Mongo;

/// <summary>
/// A real MongoDB server for the catalog contract, found once per test run: <c>DESIRABLE_TEST_MONGO</c> (a
/// connection string) wins; otherwise a Testcontainers MongoDB when a container runtime answers. When neither is
/// there, <see cref="UnavailableReason"/> says why, and the tests that need the server report themselves skipped.
/// </summary>
public sealed class MongoTestServer : IAsyncLifetime
{
    public const string EnvironmentVariable = "DESIRABLE_TEST_MONGO";

    /// <summary>The same image and tag the AppHost runs in containers mode.</summary>
    public const string Image = "mongo:8.0";

    private MongoDbContainer? _container;

    public IMongoClient? Client { get; private set; }

    public string? UnavailableReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            Client = new MongoClient(configured);
            return;
        }

        try
        {
            _container = new MongoDbBuilder(Image).Build();
            await _container.StartAsync(TestContext.Current.CancellationToken);
            Client = new MongoClient(_container.GetConnectionString());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            UnavailableReason =
                $"No MongoDB server: {EnvironmentVariable} is not set and Testcontainers could not start {Image} " +
                $"({e.GetType().Name}: {FirstLine(e.Message)}). Set {EnvironmentVariable}=mongodb://... or start Docker to run these tests.";
        }
    }

    /// <summary>A fresh database for one test, or a skip with the reason when there is no server.</summary>
    public IMongoDatabase CreateDatabase()
    {
        if (Client is null)
        {
            Assert.Skip(UnavailableReason ?? "No MongoDB server.");
        }

        return Client.GetDatabase($"desirable-test-{Guid.NewGuid():N}");
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
