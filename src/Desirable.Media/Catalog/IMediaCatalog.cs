using Desirable.Media.Model;

namespace Desirable.Media.Catalog;

/// <summary>
/// Where item metadata lives. Shaped for both a relational store (SQLite) and a document store (MongoDB):
/// whole items in and out, keyset pagination by (created, id), no query language crossing the boundary.
/// </summary>
public interface IMediaCatalog
{
    /// <summary>Creates the schema or indexes the queries need. Idempotent; run once at start-up.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Adds a new item. Throws <see cref="CatalogConflictException"/> when the id exists.</summary>
    Task AddAsync(MediaItem item, CancellationToken cancellationToken);

    Task<MediaItem?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Newest first; ties on the creation time are broken by id, descending. Items being deleted are left out unless
    /// the query asks for <see cref="MediaStatus.Deleting"/>.
    /// </summary>
    Task<MediaPage> ListAsync(MediaListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Moves an item to <paramref name="status"/> if it is still at <paramref name="expectedVersion"/>; a final status
    /// (Ready, Failed) sets <see cref="MediaItem.EventPending"/>, any other clears it. Returns the updated item, or null
    /// when the item is gone or another writer changed it first.
    /// </summary>
    Task<MediaItem?> TryUpdateStatusAsync(
        Guid id, long expectedVersion, MediaStatus status, string? reason, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces an item (processing results) if it is still at <paramref name="expectedVersion"/>; the stored
    /// version becomes one more. Returns the stored item, or null when the item is gone or changed meanwhile.
    /// </summary>
    Task<MediaItem?> TryReplaceAsync(MediaItem item, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Clears <see cref="MediaItem.EventPending"/> once the event of <paramref name="version"/> is published, without
    /// changing the version. Returns false when the item has moved on (or is gone): its newer state owes its own event.
    /// </summary>
    Task<bool> TryClearEventPendingAsync(Guid id, long version, CancellationToken cancellationToken);

    /// <summary>Items whose event is still owed and that last changed before <paramref name="before"/>, oldest first.</summary>
    Task<IReadOnlyList<MediaItem>> ListPendingEventsAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken);

    /// <summary>Removes an item. Returns false when there was none.</summary>
    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken);
}
