using Desirable.Media.Model;

namespace Desirable.Media.Catalog;

/// <summary>A page request. <see cref="Owner"/> null means every owner (administrators).</summary>
public sealed record MediaListQuery(
    string? Owner,
    int Limit,
    ListPosition? After = null,
    MediaKind? Kind = null,
    MediaStatus? Status = null);

/// <summary>The sort key of the last item a client has seen; the next page starts strictly after it.</summary>
public readonly record struct ListPosition(DateTimeOffset CreatedAt, Guid Id);

public sealed record MediaPage(IReadOnlyList<MediaItem> Items, ListPosition? Next)
{
    /// <summary>
    /// A page from a query that asked for one item more than <paramref name="limit"/>: that extra item tells whether
    /// another page exists without a second query, and is dropped.
    /// </summary>
    public static MediaPage FromOneMoreThan(int limit, List<MediaItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count <= limit)
        {
            return new MediaPage(items, Next: null);
        }

        items.RemoveRange(limit, items.Count - limit);
        var last = items[^1];
        return new MediaPage(items, new ListPosition(last.CreatedAt, last.Id));
    }
}
