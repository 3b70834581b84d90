using Desirable.Media.Catalog;
using Desirable.Media.Catalog.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Desirable.Media.Tests.Catalog.Mongo;

/// <summary>
/// The catalog contract against a real MongoDB server (see <see cref="MongoTestServer"/>); each test gets its own
/// database. Skipped, with the reason, when no server is reachable.
/// </summary>
public sealed class MongoMediaCatalogTests(MongoTestServer server) : MediaCatalogContractTests
{
    private IMongoDatabase? _database;

    protected override Task<IMediaCatalog> CreateCatalogAsync()
    {
        _database = server.CreateDatabase();
        return Task.FromResult<IMediaCatalog>(new MongoMediaCatalog(_database));
    }

    [Fact]
    public async Task InitializeCreatesTheIndexesTheListQueriesNeed()
    {
        var indexes = await (await _database!.GetCollection<BsonDocument>(MongoCatalogMapping.CollectionName).Indexes
            .ListAsync(TestContext.Current.CancellationToken)).ToListAsync(TestContext.Current.CancellationToken);

        var keys = indexes.ToDictionary(i => i["name"].AsString, i => i["key"].AsBsonDocument);
        Assert.Equal(new BsonDocument { { "owner", 1 }, { "createdAt", -1 }, { "_id", -1 } }, keys["owner_createdAt_id"]);
        Assert.Equal(new BsonDocument { { "createdAt", -1 }, { "_id", -1 } }, keys["createdAt_id"]);
    }

    protected override async ValueTask DisposeCatalogAsync()
    {
        if (_database is not null)
        {
            await _database.Client.DropDatabaseAsync(_database.DatabaseNamespace.DatabaseName, CancellationToken.None);
        }
    }
}
