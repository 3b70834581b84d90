using Desirable.Media.Model;
using MongoDB.Driver;
using static Desirable.Media.Catalog.Mongo.MongoCatalogMapping;

namespace Desirable.Media.Catalog.Mongo;

/// <summary>
/// The catalog in a MongoDB collection (Atlas in production, a container locally). One document per item,
/// keyset pagination on (createdAt, _id) served by the indexes below, optimistic concurrency on <c>version</c>.
/// </summary>
public sealed class MongoMediaCatalog : IMediaCatalog
{
    private static readonly FilterDefinitionBuilder<MediaItem> Filter = Builders<MediaItem>.Filter;

    private readonly IMongoCollection<MediaItem> _items;

    public MongoMediaCatalog(IMongoDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        Register();
        _items = database.GetCollection<MediaItem>(CollectionName);
    }

    /// <summary>Newest first, ties broken by id: the same order as every other store.</summary>
    internal static SortDefinition<MediaItem> ListSort { get; } =
        Builders<MediaItem>.Sort.Descending(i => i.CreatedAt).Descending(i => i.Id);

    /// <summary>
    /// One index per shape of list query: an owner's items, and everybody's (administrators), each also by status and
    /// by kind, so a filtered page is read from an index in list order (a rare status no longer scans all of an
    /// owner's items). With both filters the planner takes one of them and checks the other on the entries read.
    /// </summary>
    internal static IReadOnlyList<CreateIndexModel<MediaItem>> Indexes { get; } =
    [
        new(Builders<MediaItem>.IndexKeys.Ascending(i => i.Owner).Descending(i => i.CreatedAt).Descending(i => i.Id),
            new CreateIndexOptions { Name = "owner_createdAt_id" }),
        new(Builders<MediaItem>.IndexKeys.Descending(i => i.CreatedAt).Descending(i => i.Id),
            new CreateIndexOptions { Name = "createdAt_id" }),
        new(Builders<MediaItem>.IndexKeys.Ascending(i => i.Owner).Ascending(i => i.Status).Descending(i => i.CreatedAt).Descending(i => i.Id),
            new CreateIndexOptions { Name = "owner_status_createdAt_id" }),
        new(Builders<MediaItem>.IndexKeys.Ascending(i => i.Owner).Ascending(i => i.Kind).Descending(i => i.CreatedAt).Descending(i => i.Id),
            new CreateIndexOptions { Name = "owner_kind_createdAt_id" }),
        new(Builders<MediaItem>.IndexKeys.Ascending(i => i.Status).Descending(i => i.CreatedAt).Descending(i => i.Id),
            new CreateIndexOptions { Name = "status_createdAt_id" }),
        new(Builders<MediaItem>.IndexKeys.Ascending(i => i.Kind).Descending(i => i.CreatedAt).Descending(i => i.Id),
            new CreateIndexOptions { Name = "kind_createdAt_id" }),
        // The outbox: a partial index, so it holds only the documents that owe an event.
        new(Builders<MediaItem>.IndexKeys.Ascending(i => i.EventPending).Ascending(i => i.UpdatedAt),
            new CreateIndexOptions<MediaItem> { Name = "eventPending_updatedAt", PartialFilterExpression = Filter.Eq(i => i.EventPending, true) }),
    ];

    public async Task InitializeAsync(CancellationToken cancellationToken) =>
        // Creating an index that exists with the same keys and name is a no-op, so every start may do it.
        await _items.Indexes.CreateManyAsync(Indexes, cancellationToken);

    public async Task AddAsync(MediaItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        try
        {
            await _items.InsertOneAsync(Normalize(item), cancellationToken: cancellationToken);
        }
        catch (MongoWriteException e) when (e.WriteError?.Category == ServerErrorCategory.DuplicateKey)
        {
            throw new CatalogConflictException(item.Id, e);
        }
    }

    public async Task<MediaItem?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await _items.Find(Filter.Eq(i => i.Id, id)).FirstOrDefaultAsync(cancellationToken);

    public async Task<MediaPage> ListAsync(MediaListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);

        var items = await _items.Find(ListFilter(query)).Sort(ListSort).Limit(query.Limit + 1).ToListAsync(cancellationToken);
        return MediaPage.FromOneMoreThan(query.Limit, items);
    }

    public async Task<MediaItem?> TryUpdateStatusAsync(
        Guid id, long expectedVersion, MediaStatus status, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var update = Builders<MediaItem>.Update
            .Set(i => i.Status, status)
            .Set(i => i.UpdatedAt, CatalogTime.Truncate(at))
            .Inc(i => i.Version, 1);
        update = status.IsFinal() ? update.Set(i => i.EventPending, true) : update.Unset(i => i.EventPending);
        update = reason is null ? update.Unset(i => i.StatusReason) : update.Set(i => i.StatusReason, reason);

        // The version in the filter makes the write conditional: a writer that lost the race matches nothing.
        return await _items.FindOneAndUpdateAsync(
            Filter.Eq(i => i.Id, id) & Filter.Eq(i => i.Version, expectedVersion),
            update,
            new FindOneAndUpdateOptions<MediaItem> { ReturnDocument = ReturnDocument.After },
            cancellationToken);
    }

    public async Task<MediaItem?> TryReplaceAsync(MediaItem item, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var replacement = Normalize(item) with { Version = expectedVersion + 1 };
        return await _items.FindOneAndReplaceAsync(
            Filter.Eq(i => i.Id, item.Id) & Filter.Eq(i => i.Version, expectedVersion),
            replacement,
            new FindOneAndReplaceOptions<MediaItem> { ReturnDocument = ReturnDocument.After },
            cancellationToken);
    }

    public async Task<bool> TryClearEventPendingAsync(Guid id, long version, CancellationToken cancellationToken)
    {
        var result = await _items.UpdateOneAsync(
            Filter.Eq(i => i.Id, id) & Filter.Eq(i => i.Version, version) & Filter.Eq(i => i.EventPending, true),
            Builders<MediaItem>.Update.Unset(i => i.EventPending),
            cancellationToken: cancellationToken);
        return result.ModifiedCount > 0;
    }

    public async Task<IReadOnlyList<MediaItem>> ListPendingEventsAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        await _items.Find(Filter.Eq(i => i.EventPending, true) & Filter.Lt(i => i.UpdatedAt, CatalogTime.Truncate(before)))
            .Sort(Builders<MediaItem>.Sort.Ascending(i => i.UpdatedAt))
            .Limit(limit)
            .ToListAsync(cancellationToken);

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await _items.DeleteOneAsync(Filter.Eq(i => i.Id, id), cancellationToken);
        return result.DeletedCount > 0;
    }

    /// <summary>The filter of a list query; the index it needs is the one whose equality prefix it uses.</summary>
    internal static FilterDefinition<MediaItem> ListFilter(MediaListQuery query)
    {
        var parts = new List<FilterDefinition<MediaItem>>(4);
        if (query.Owner is not null)
        {
            parts.Add(Filter.Eq(i => i.Owner, query.Owner));
        }

        if (query.Kind is { } kind)
        {
            parts.Add(Filter.Eq(i => i.Kind, kind));
        }

        if (query.Status is { } status)
        {
            parts.Add(Filter.Eq(i => i.Status, status));
        }
        else
        {
            parts.Add(Filter.Ne(i => i.Status, MediaStatus.Deleting));
        }

        if (query.After is { } after)
        {
            parts.Add(StrictlyAfter(after));
        }

        return Filter.And(parts);
    }

    /// <summary>Everything that sorts after <paramref name="position"/> in newest-first order.</summary>
    private static FilterDefinition<MediaItem> StrictlyAfter(ListPosition position)
    {
        var at = CatalogTime.Truncate(position.CreatedAt);
        if (!CatalogTime.IsWholeMillisecond(position.CreatedAt))
        {
            // Stored times are whole milliseconds, so every item at or before the millisecond below a position
            // that falls between two milliseconds is older than it, whatever its id.
            return Filter.Lte(i => i.CreatedAt, at);
        }

        return Filter.Lt(i => i.CreatedAt, at)
            | (Filter.Eq(i => i.CreatedAt, at) & Filter.Lt(i => i.Id, position.Id));
    }

    private static MediaItem Normalize(MediaItem item) => item with
    {
        CreatedAt = CatalogTime.Truncate(item.CreatedAt),
        UpdatedAt = CatalogTime.Truncate(item.UpdatedAt),
    };
}
