using System.Globalization;
using System.Text;
using System.Text.Json;
using Desirable.Media.Model;
using Microsoft.Data.Sqlite;

namespace Desirable.Media.Catalog.Sqlite;

/// <summary>
/// The catalog in one SQLite file (WAL, so readers never wait for the writer). Times are stored as UTC ticks
/// (whole milliseconds, see <see cref="CatalogTime"/>) so that ordering and round trips are exact; ids as lower-case text, whose order is the order of the GUID's bytes.
/// </summary>
public sealed class SqliteMediaCatalog(SqliteCatalogOptions options) : IMediaCatalog
{
    private const string Columns =
        "id, owner, display_name, content_type, kind, size, sha256, status, status_reason, created_at, updated_at, version, " +
        "width, height, duration_seconds, thumb, preview, event_pending";

    /// <summary>Columns added after the first release; an older file gets them at start-up.</summary>
    private static readonly (string Name, string Type)[] AddedColumns =
    [
        ("width", "INTEGER"), ("height", "INTEGER"), ("duration_seconds", "REAL"), ("thumb", "TEXT"), ("preview", "TEXT"),
        ("event_pending", "INTEGER NOT NULL DEFAULT 0"),
    ];

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(new SqliteConnectionStringBuilder(options.ConnectionString).DataSource);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        // The media service and the processor start together on the same file: the schema is checked and changed
        // under the write lock, so the second to arrive waits and finds it done ("duplicate column" otherwise).
        // BEGIN IMMEDIATE: the write lock is taken at once (Microsoft.Data.Sqlite has no asynchronous form of it).
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS media_items (
                id            TEXT    NOT NULL PRIMARY KEY,
                owner         TEXT    NOT NULL,
                display_name  TEXT    NOT NULL,
                content_type  TEXT    NOT NULL,
                kind          TEXT    NOT NULL,
                size          INTEGER NOT NULL,
                sha256        TEXT    NOT NULL,
                status        TEXT    NOT NULL,
                status_reason TEXT,
                created_at    INTEGER NOT NULL,
                updated_at    INTEGER NOT NULL,
                version       INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_media_items_owner_created ON media_items (owner, created_at DESC, id DESC);
            CREATE INDEX IF NOT EXISTS ix_media_items_created ON media_items (created_at DESC, id DESC);
            -- The gallery's kind and status filters (and the reconciler's status lists) read their page straight from
            -- an index in list order; without these a rare status scanned all of the owner's rows. A file from an
            -- earlier release gets them at its next start.
            CREATE INDEX IF NOT EXISTS ix_media_items_owner_status_created ON media_items (owner, status, created_at DESC, id DESC);
            CREATE INDEX IF NOT EXISTS ix_media_items_owner_kind_created ON media_items (owner, kind, created_at DESC, id DESC);
            CREATE INDEX IF NOT EXISTS ix_media_items_status_created ON media_items (status, created_at DESC, id DESC);
            CREATE INDEX IF NOT EXISTS ix_media_items_kind_created ON media_items (kind, created_at DESC, id DESC);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
        await AddMissingColumnsAsync(connection, transaction, cancellationToken);

        // Only items that owe an event are in it, so the outbox sweep reads a handful of rows, not the table.
        await using var outbox = connection.CreateCommand();
        outbox.Transaction = transaction;
        outbox.CommandText = "CREATE INDEX IF NOT EXISTS ix_media_items_event_pending ON media_items (updated_at) WHERE event_pending = 1";
        await outbox.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task AddMissingColumnsAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var info = connection.CreateCommand())
        {
            info.Transaction = transaction;
            info.CommandText = "SELECT name FROM pragma_table_info('media_items')";
            await using var reader = await info.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                existing.Add(reader.GetString(0));
            }
        }

        foreach (var (name, type) in AddedColumns.Where(c => !existing.Contains(c.Name)))
        {
            await using var alter = connection.CreateCommand();
            alter.Transaction = transaction;
            alter.CommandText = $"ALTER TABLE media_items ADD COLUMN {name} {type}";
            await alter.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task AddAsync(MediaItem item, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO media_items ({Columns})
            VALUES (@id, @owner, @display_name, @content_type, @kind, @size, @sha256, @status, @status_reason, @created_at,
                    @updated_at, @version, @width, @height, @duration_seconds, @thumb, @preview, @event_pending)
            """;
        Bind(command, item, item.Version);

        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == SQLitePCL.raw.SQLITE_CONSTRAINT_PRIMARYKEY)
        {
            throw new CatalogConflictException(item.Id, e);
        }
    }

    public async Task<MediaItem?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM media_items WHERE id = @id";
        command.Parameters.AddWithValue("@id", FormatId(id));

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<MediaPage> ListAsync(MediaListQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        PrepareList(command, query);

        var items = new List<MediaItem>(query.Limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(Read(reader));
            }
        }

        return MediaPage.FromOneMoreThan(query.Limit, items);
    }

    /// <summary>The list query's SQL and parameters (the index tests read its plan).</summary>
    internal static void PrepareList(SqliteCommand command, MediaListQuery query)
    {
        var where = new StringBuilder("WHERE 1 = 1");
        if (query.Owner is not null)
        {
            where.Append(" AND owner = @owner");
            command.Parameters.AddWithValue("@owner", query.Owner);
        }

        if (query.Kind is { } kind)
        {
            where.Append(" AND kind = @kind");
            command.Parameters.AddWithValue("@kind", kind.ToString());
        }

        if (query.Status is { } status)
        {
            where.Append(" AND status = @status");
            command.Parameters.AddWithValue("@status", status.ToString());
        }
        else
        {
            where.Append(" AND status <> 'Deleting'");
        }

        if (query.After is { } after)
        {
            where.Append(" AND (created_at, id) < (@after_created, @after_id)");
            command.Parameters.AddWithValue("@after_created", after.CreatedAt.UtcTicks);
            command.Parameters.AddWithValue("@after_id", FormatId(after.Id));
        }

        // One row more than asked tells whether another page exists without a second query.
        command.CommandText = $"SELECT {Columns} FROM media_items {where} ORDER BY created_at DESC, id DESC LIMIT @take";
        command.Parameters.AddWithValue("@take", query.Limit + 1);
    }

    public async Task<MediaItem?> TryUpdateStatusAsync(
        Guid id, long expectedVersion, MediaStatus status, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE media_items
            SET status = @status, status_reason = @reason, updated_at = @updated_at, version = version + 1,
                event_pending = @event_pending
            WHERE id = @id AND version = @expected
            RETURNING {Columns}
            """;
        command.Parameters.AddWithValue("@id", FormatId(id));
        command.Parameters.AddWithValue("@expected", expectedVersion);
        command.Parameters.AddWithValue("@status", status.ToString());
        command.Parameters.AddWithValue("@reason", (object?)reason ?? DBNull.Value);
        command.Parameters.AddWithValue("@updated_at", CatalogTime.Truncate(at).UtcTicks);
        command.Parameters.AddWithValue("@event_pending", status.IsFinal());

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<MediaItem?> TryReplaceAsync(MediaItem item, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE media_items
            SET owner = @owner, display_name = @display_name, content_type = @content_type, kind = @kind, size = @size,
                sha256 = @sha256, status = @status, status_reason = @status_reason, created_at = @created_at,
                updated_at = @updated_at, version = @version, width = @width, height = @height,
                duration_seconds = @duration_seconds, thumb = @thumb, preview = @preview, event_pending = @event_pending
            WHERE id = @id AND version = @expected
            RETURNING {Columns}
            """;
        Bind(command, item, expectedVersion + 1);
        command.Parameters.AddWithValue("@expected", expectedVersion);

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<bool> TryClearEventPendingAsync(Guid id, long version, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE media_items SET event_pending = 0 WHERE id = @id AND version = @version AND event_pending = 1";
        command.Parameters.AddWithValue("@id", FormatId(id));
        command.Parameters.AddWithValue("@version", version);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<MediaItem>> ListPendingEventsAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM media_items WHERE event_pending = 1 AND updated_at < @before ORDER BY updated_at LIMIT @limit";
        command.Parameters.AddWithValue("@before", CatalogTime.Truncate(before).UtcTicks);
        command.Parameters.AddWithValue("@limit", limit);

        var items = new List<MediaItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
        }

        return items;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM media_items WHERE id = @id";
        command.Parameters.AddWithValue("@id", FormatId(id));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static string FormatId(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    private static void Bind(SqliteCommand command, MediaItem item, long version)
    {
        command.Parameters.AddWithValue("@id", FormatId(item.Id));
        command.Parameters.AddWithValue("@owner", item.Owner);
        command.Parameters.AddWithValue("@display_name", item.DisplayName);
        command.Parameters.AddWithValue("@content_type", item.ContentType);
        command.Parameters.AddWithValue("@kind", item.Kind.ToString());
        command.Parameters.AddWithValue("@size", item.Size);
        command.Parameters.AddWithValue("@sha256", item.Sha256);
        command.Parameters.AddWithValue("@status", item.Status.ToString());
        command.Parameters.AddWithValue("@status_reason", (object?)item.StatusReason ?? DBNull.Value);
        command.Parameters.AddWithValue("@created_at", CatalogTime.Truncate(item.CreatedAt).UtcTicks);
        command.Parameters.AddWithValue("@updated_at", CatalogTime.Truncate(item.UpdatedAt).UtcTicks);
        command.Parameters.AddWithValue("@version", version);
        command.Parameters.AddWithValue("@width", (object?)item.Width ?? DBNull.Value);
        command.Parameters.AddWithValue("@height", (object?)item.Height ?? DBNull.Value);
        command.Parameters.AddWithValue("@duration_seconds", (object?)item.DurationSeconds ?? DBNull.Value);
        command.Parameters.AddWithValue("@thumb", (object?)SerializeVariant(item.Thumb) ?? DBNull.Value);
        command.Parameters.AddWithValue("@preview", (object?)SerializeVariant(item.Preview) ?? DBNull.Value);
        command.Parameters.AddWithValue("@event_pending", item.EventPending);
    }

    private static string? SerializeVariant(MediaVariant? variant) =>
        variant is null ? null : JsonSerializer.Serialize(variant, VariantJson);

    private static MediaVariant? ReadVariant(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize<MediaVariant>(reader.GetString(ordinal), VariantJson);

    private static readonly JsonSerializerOptions VariantJson = new(JsonSerializerDefaults.Web);

    private static MediaItem Read(SqliteDataReader reader) => new()
    {
        Id = Guid.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
        Owner = reader.GetString(1),
        DisplayName = reader.GetString(2),
        ContentType = reader.GetString(3),
        Kind = Enum.Parse<MediaKind>(reader.GetString(4)),
        Size = reader.GetInt64(5),
        Sha256 = reader.GetString(6),
        Status = Enum.Parse<MediaStatus>(reader.GetString(7)),
        StatusReason = reader.IsDBNull(8) ? null : reader.GetString(8),
        CreatedAt = new DateTimeOffset(reader.GetInt64(9), TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(reader.GetInt64(10), TimeSpan.Zero),
        Version = reader.GetInt64(11),
        Width = reader.IsDBNull(12) ? null : reader.GetInt32(12),
        Height = reader.IsDBNull(13) ? null : reader.GetInt32(13),
        DurationSeconds = reader.IsDBNull(14) ? null : reader.GetDouble(14),
        Thumb = ReadVariant(reader, 15),
        Preview = ReadVariant(reader, 16),
        EventPending = reader.GetBoolean(17),
    };
}
