using Desirable.MediaService.Model;

namespace Desirable.MediaService.Apis;

/// <summary>An item as the API shows it, with the links a client follows.</summary>
public sealed record MediaItemResponse(
    Guid Id,
    string Owner,
    string DisplayName,
    string ContentType,
    MediaKind Kind,
    long Size,
    string Sha256,
    MediaStatus Status,
    string? StatusReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    MediaLinks Links)
{
    public static MediaItemResponse From(MediaItem item)
    {
        var self = $"{MediaApi.BasePath}/{item.Id:D}";
        return new(item.Id, item.Owner, item.DisplayName, item.ContentType, item.Kind, item.Size, item.Sha256,
            item.Status, item.StatusReason, item.CreatedAt, item.UpdatedAt, new MediaLinks(self, $"{self}/content"));
    }
}

public sealed record MediaLinks(string Self, string Content);

/// <summary>One page of a listing; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record MediaPageResponse(IReadOnlyList<MediaItemResponse> Items, string? NextCursor);
