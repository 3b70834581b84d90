using Desirable.MediaService.Apis;
using Desirable.MediaService.Model;

namespace Desirable.MediaService.Processing.Events;

/// <summary>
/// What other systems hear when an item is Ready or Failed: the SNS message body (JSON). Variant URLs are the API's
/// paths; a consumer fetches them with its own credentials.
/// </summary>
public sealed record MediaEvent(
    string Type,
    Guid MediaId,
    string Owner,
    MediaStatus Status,
    string? Reason,
    IReadOnlyDictionary<string, MediaVariantResponse> Variants,
    DateTimeOffset OccurredAt)
{
    public const string ReadyType = "media.ready";
    public const string FailedType = "media.failed";

    public static MediaEvent From(MediaItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new(
            item.Status == MediaStatus.Ready ? ReadyType : FailedType,
            item.Id, item.Owner, item.Status, item.StatusReason, MediaItemResponse.From(item).Variants, item.UpdatedAt);
    }
}
