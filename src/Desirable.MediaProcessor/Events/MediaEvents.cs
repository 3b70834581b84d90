using System.Security.Cryptography;
using System.Text;
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
            EventIdOf(item),
            item.Status == MediaStatus.Ready ? MediaEvent.ReadyType : MediaEvent.FailedType,
            item.Id, item.Owner, item.Status.ToString(), item.StatusReason, variants, item.UpdatedAt);
    }

    /// <summary>
    /// A name-based UUID (RFC 9562 version 8) of the item and the version whose status the event announces: every
    /// publication of this event, by any processor, carries the same id; the item's next final status gets another.
    /// </summary>
    public static Guid EventIdOf(MediaItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.ASCII.GetBytes($"desirable-media-event:{item.Id:D}:{item.Version}"), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
