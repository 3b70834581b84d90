using Desirable.MediaService.Catalog;
using Desirable.MediaService.Catalog.Sqlite;
using Microsoft.Data.Sqlite;

namespace Desirable.MediaService.Tests.Catalog;

/// <summary>The catalog contract against a real SQLite file in a temporary folder.</summary>
public sealed class SqliteMediaCatalogTests : MediaCatalogContractTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("desirable-catalog-").FullName;

    protected override Task<IMediaCatalog> CreateCatalogAsync() =>
        Task.FromResult<IMediaCatalog>(new SqliteMediaCatalog(new SqliteCatalogOptions($"Data Source={Path.Combine(_directory, "nested", "catalog.db")}")));

    [Fact]
    public async Task TheFileUsesWriteAheadLogging()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "nested", "catalog.db")}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    protected override ValueTask DisposeCatalogAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
