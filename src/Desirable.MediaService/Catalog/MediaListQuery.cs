using Desirable.MediaService.Model;

namespace Desirable.MediaService.Catalog;

/// <summary>A page request. <see cref="Owner"/> null means every owner (administrators).</summary>
public sealed record MediaListQuery(
    string? Owner,
    int Limit,
    ListPosition? After = null,
    MediaKind? Kind = null,
    MediaStatus? Status = null);

/// <summary>The sort key of the last item a client has seen; the next page starts strictly after it.</summary>
public readonly record struct ListPosition(DateTimeOffset CreatedAt, Guid Id);

public sealed record MediaPage(IReadOnlyList<MediaItem> Items, ListPosition? Next);
