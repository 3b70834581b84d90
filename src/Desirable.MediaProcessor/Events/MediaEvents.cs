using Desirable.Contracts;
using Desirable.Contracts.Events;
using Desirable.Media.Model;

namespace Desirable.MediaProcessor.Events;

/// <summary>Maps a finished item to the event contract.</summary>
public static class MediaEvents
{
    public static MediaEvent From(MediaItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var variants = new Dictionary<string, MediaEventVariant>(StringComparer.Ordinal);
        foreach (var name in MediaVariantName.All)
        {
            if (item.Variant(name) is { } variant)
            {
                variants[name] = new MediaEventVariant(
                    $"{ApiPaths.Media}/{item.Id:D}/variants/{name}", variant.ContentType, variant.Width, variant.Height, variant.Size);
            }
        }

        return new(
            MediaEvent.CurrentVersion,
            item.Status == MediaStatus.Ready ? MediaEvent.ReadyType : MediaEvent.FailedType,
            item.Id, item.Owner, item.Status.ToString(), item.StatusReason, variants, item.UpdatedAt);
    }
}
