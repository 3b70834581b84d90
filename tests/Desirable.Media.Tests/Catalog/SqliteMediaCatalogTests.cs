using Desirable.Media.Catalog;
using Desirable.Media.Catalog.Sqlite;
using Desirable.Media.Model;
using Microsoft.Data.Sqlite;

namespace Desirable.Media.Tests.Catalog;

/// <summary>The catalog contract against a real SQLite file in a temporary folder.</summary>
public sealed class SqliteMediaCatalogTests : MediaCatalogContractTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("desirable-catalog-").FullName;

    protected override Task<IMediaCatalog> CreateCatalogAsync() =>
        Task.FromResult<IMediaCatalog>(new SqliteMediaCatalog(new SqliteCatalogOptions($"Data Source={Path.Combine(_directory, "nested", "catalog.db")}")));

    [Theory]
    [MemberData(nameof(ListQueryShapes.All), MemberType = typeof(ListQueryShapes))]
    public async Task EveryListQueryReadsItsPageFromAnIndexInListOrder(string? owner, MediaKind? kind, MediaStatus? status, bool paged)
    {
        var catalog = await CreateCatalogAsync();
        await catalog.InitializeAsync(TestContext.Current.CancellationToken);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "nested", "catalog.db")}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        var after = paged ? new ListPosition(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero), Guid.CreateVersion7()) : (ListPosition?)null;
        SqliteMediaCatalog.PrepareList(command, new MediaListQuery(owner, 20, after, kind, status));
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                plan.Add(reader.GetString(3));
            }
        }

        // The owner, then the filter that narrows (either, when both are asked for), then the list's order.
        var prefix = owner is null ? "ix_media_items_" : "ix_media_items_owner_";
        string[] expected = (kind, status) switch
        {
            (null, null) => [owner is null ? "ix_media_items_created" : "ix_media_items_owner_created"],
            (null, _) => [prefix + "status_created"],
            (_, null) => [prefix + "kind_created"],
            _ => [prefix + "status_created", prefix + "kind_created"],
        };
        var detail = string.Join(" | ", plan);
        Assert.True(expected.Any(index => System.Text.RegularExpressions.Regex.IsMatch(detail, $@"USING (COVERING )?INDEX {index}\b")), $"Expected {string.Join(" or ", expected)}; the plan: {detail}");
        Assert.DoesNotContain("TEMP B-TREE", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServicesStartingTogetherOnOneFileEachFindTheSchemaReady()
    {
        // The media service and the processor initialize the same file at the same moment; in a file from the first
        // release both find columns to add, and only one may add them.
        for (var round = 0; round < 20; round++)
        {
            var path = Path.Combine(_directory, $"together-{round}.db");
            await CreateFirstReleaseFileAsync(path);
            var catalogs = Enumerable.Range(0, 8).Select(_ => new SqliteMediaCatalog(new SqliteCatalogOptions($"Data Source={path}"))).ToArray();
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            var starting = catalogs.Select(c => Task.Run(async () =>
            {
                await go.Task;
                await c.InitializeAsync(TestContext.Current.CancellationToken);
            })).ToArray();
            go.SetResult();
            await Task.WhenAll(starting);

            var page = await catalogs[0].ListAsync(new MediaListQuery("ann", 10), TestContext.Current.CancellationToken);
            Assert.Single(page.Items);
        }
    }

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
        await CreateFirstReleaseFileAsync(path);

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

    /// <summary>A catalog file as the first release wrote it: none of the later columns, one of Ann's items.</summary>
    private static async Task CreateFirstReleaseFileAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
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

    protected override ValueTask DisposeCatalogAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
