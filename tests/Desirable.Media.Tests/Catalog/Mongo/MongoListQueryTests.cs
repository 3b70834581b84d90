using Desirable.Media.Catalog;
using Desirable.Media.Catalog.Mongo;
using Desirable.Media.Model;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace Desirable.Media.Tests.Catalog.Mongo;

/// <summary>
/// The documents the list queries send, rendered without a server, and proof that an index serves each of them:
/// its equality prefix is matched by the filter and the rest of its keys are exactly the sort.
/// </summary>
public class MongoListQueryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid LastId = Guid.Parse("0193f2a1-7c4e-7d3a-9b1f-2a3b4c5d6e7f");

    public MongoListQueryTests() => MongoCatalogMapping.Register();

    [Fact]
    public void TheSortIsNewestFirstThenIdDescending() =>
        Assert.Equal(new BsonDocument { { "createdAt", -1 }, { "_id", -1 } }, Render(MongoMediaCatalog.ListSort));

    [Fact]
    public void AnOwnersFirstPageFiltersOnTheOwnerAndLeavesOutItemsBeingDeleted() =>
        Assert.Equal(new BsonDocument { { "owner", "ann" }, { "status", NotDeleting } }, Render(new MediaListQuery("ann", 20)));

    [Fact]
    public void AnAdministratorsFirstPageOnlyLeavesOutItemsBeingDeleted() =>
        Assert.Equal(new BsonDocument("status", NotDeleting), Render(new MediaListQuery(null, 20)));

    [Fact]
    public void ItemsBeingDeletedAreListedOnlyWhenAskedFor() =>
        Assert.Equal(new BsonDocument("status", "Deleting"), Render(new MediaListQuery(null, 20, Status: MediaStatus.Deleting)));

    private static BsonDocument NotDeleting => new("$ne", "Deleting");

    [Fact]
    public void ANextPageWithFiltersRendersTheKeysetCondition()
    {
        var query = new MediaListQuery("ann", 20, new ListPosition(T0, LastId), MediaKind.Video, MediaStatus.Ready);

        var at = new BsonDateTime(T0.ToUnixTimeMilliseconds());
        var id = new BsonBinaryData(LastId, GuidRepresentation.Standard);
        Assert.Equal(
            new BsonDocument
            {
                { "owner", "ann" },
                { "kind", "Video" },
                { "status", "Ready" },
                { "$or", new BsonArray
                    {
                        new BsonDocument("createdAt", new BsonDocument("$lt", at)),
                        new BsonDocument { { "createdAt", at }, { "_id", new BsonDocument("$lt", id) } },
                    }
                },
            },
            Render(query));
    }

    [Fact]
    public void APositionBetweenMillisecondsTakesEverythingUpToTheEarlierOne()
    {
        var query = new MediaListQuery("ann", 20, new ListPosition(T0.AddTicks(5_000), LastId));

        Assert.Equal(
            new BsonDocument { { "owner", "ann" }, { "status", NotDeleting }, { "createdAt", new BsonDocument("$lte", new BsonDateTime(T0.ToUnixTimeMilliseconds())) } },
            Render(query));
    }

    [Theory]
    [MemberData(nameof(ListQueryShapes.All), MemberType = typeof(ListQueryShapes))]
    public void EveryQueryShapeHasAnIndexThatGivesItsOrder(string? owner, MediaKind? kind, MediaStatus? status, bool paged)
    {
        var filter = Render(new MediaListQuery(owner, 20, paged ? new ListPosition(T0, LastId) : null, kind, status));
        var sort = Render(MongoMediaCatalog.ListSort);

        // The index the planner should take: the longest equality prefix the filter matches, then the sort keys.
        var index = MongoMediaCatalog.Indexes
            .Select(i => Render(i.Keys))
            .Where(keys => keys.Names.Take(keys.ElementCount - sort.ElementCount).All(f => filter.Contains(f) && filter[f].IsString))
            .MaxBy(keys => keys.ElementCount);

        Assert.NotNull(index);
        Assert.Equal(sort.Elements, index.Elements.Skip(index.ElementCount - sort.ElementCount));
        // The owner, then the filter that narrows (a kind or a status asked for), then the order.
        var equalities = (owner is null ? 0 : 1) + (kind is null && status is null ? 0 : 1);
        Assert.Equal(equalities + sort.ElementCount, index.ElementCount);
    }

    private static BsonDocument Render(MediaListQuery query) => Render(MongoMediaCatalog.ListFilter(query));

    private static BsonDocument Render(FilterDefinition<MediaItem> filter) => filter.Render(Args);

    private static BsonDocument Render(SortDefinition<MediaItem> sort) => sort.Render(Args);

    private static BsonDocument Render(IndexKeysDefinition<MediaItem> keys) => keys.Render(Args);

    private static RenderArgs<MediaItem> Args =>
        new(BsonSerializer.LookupSerializer<MediaItem>(), BsonSerializer.SerializerRegistry);
}
