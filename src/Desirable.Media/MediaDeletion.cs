using Desirable.Media.Catalog;
using Desirable.Media.Model;
using Desirable.Media.Storage;

namespace Desirable.Media;

/// <summary>
/// Deleting an item in the order that loses nothing and leaves nothing: first the item becomes
/// <see cref="MediaStatus.Deleting"/> (a version change, so a processor still working on it loses its final write and
/// removes the variants it wrote, and publishes no event), then its objects go, then its entry. A delete cut off
/// anywhere is finished by calling <see cref="FinishAsync"/> again, by the owner (another DELETE) or the reconciler.
/// </summary>
public sealed class MediaDeletion(IMediaCatalog catalog, MediaStorage storage, TimeProvider time, ILogger<MediaDeletion> logger)
{
    /// <summary>How often a delete retries when the processor changes the item between its read and its write.</summary>
    private const int Attempts = 5;

    /// <summary>Deletes <paramref name="item"/> (as read); false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(MediaItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var current = item;
        for (var attempt = 1; current.Status != MediaStatus.Deleting; attempt++)
        {
            var marked = await catalog.TryUpdateStatusAsync(
                current.Id, current.Version, MediaStatus.Deleting, null, CatalogTime.Truncate(time.GetUtcNow()), cancellationToken);
            if (marked is not null)
            {
                break;
            }

            // The processor moved it on meanwhile; read again and mark what is there now.
            current = await catalog.FindAsync(item.Id, cancellationToken);
            if (current is null)
            {
                return false;
            }

            if (attempt == Attempts)
            {
                throw new InvalidOperationException($"Media item {item.Id} kept changing while it was being deleted.");
            }
        }

        // Marked: from here on the delete finishes even if the caller goes away, and the item is gone for every reader.
        // If storage is not answering, its objects wait for the reconciler, which finishes cut-off deletes.
        try
        {
            await FinishAsync(item.Id, CancellationToken.None);
        }
        catch (Exception e) when (AwsOutage.Is(e))
        {
            logger.LogWarning(e, "Storage is not answering; the objects of deleted item {MediaId} are removed later by the reconciler.", item.Id);
        }

        return true;
    }

    /// <summary>Removes the objects, then the entry, of an item marked Deleting. Idempotent.</summary>
    public async Task FinishAsync(Guid id, CancellationToken cancellationToken)
    {
        await storage.DeletePrefixAsync(MediaObjectKeys.Prefix(id), cancellationToken);
        await catalog.DeleteAsync(id, cancellationToken);
    }
}
