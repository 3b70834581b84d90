using Desirable.Media.Catalog;
using Desirable.Media.Catalog.Sqlite;
using Microsoft.Data.Sqlite;

namespace Desirable.Media.Tests.Catalog;

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

    [Fact]
    public async Task AFileFromTheFirstReleaseGainsTheNewColumnsAndKeepsItsRows()
    {
        var path = Path.Combine(_directory, "old.db");
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE media_items (id TEXT NOT NULL PRIMARY KEY, owner TEXT NOT NULL, display_name TEXT NOT NULL,
                  content_type TEXT NOT NULL, kind TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, status TEXT NOT NULL,
                  status_reason TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, version INTEGER NOT NULL);
                INSERT INTO media_items VALUES ('0193f2a1-7c4e-7d3a-9b1f-2a3b4c5d6e7f', 'ann', 'a.jpg', 'image/jpeg', 'Image', 1,
                  'aa', 'Uploaded', NULL, 638999999990000000, 638999999990000000, 1);
                """;
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var catalog = new SqliteMediaCatalog(new SqliteCatalogOptions($"Data Source={path}"));
        await catalog.InitializeAsync(TestContext.Current.CancellationToken);
        await catalog.InitializeAsync(TestContext.Current.CancellationToken);

        var old = await catalog.FindAsync(Guid.Parse("0193f2a1-7c4e-7d3a-9b1f-2a3b4c5d6e7f"), TestContext.Current.CancellationToken);
        Assert.Equal("a.jpg", old!.DisplayName);
        Assert.Null(old.Width);
        Assert.Null(old.Thumb);
        var processed = await catalog.TryReplaceAsync(old with { Width = 10, Height = 20 }, old.Version, TestContext.Current.CancellationToken);
        Assert.Equal(10, processed!.Width);
    }

    protected override ValueTask DisposeCatalogAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
