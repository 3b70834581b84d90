using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Desirable.Testing;

/// <summary>A SQLite catalog read directly, tombstones included, rather than through the API or the catalog's queries.</summary>
public static class CatalogFile
{
    /// <summary>Every entry's id and status.</summary>
    public static async Task<IReadOnlyDictionary<Guid, string>> StatusesAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, status FROM media_items";
        var statuses = new Dictionary<Guid, string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            statuses.Add(Guid.Parse(reader.GetString(0), CultureInfo.InvariantCulture), reader.GetString(1));
        }

        return statuses;
    }
}
