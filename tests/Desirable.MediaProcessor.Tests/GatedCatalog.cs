using Desirable.Media.Catalog;
using Desirable.Media.Model;

namespace Desirable.MediaProcessor.Tests;

/// <summary>
/// The real catalog with a hook before its entry deletes, so a test can hold a service at that exact point while
/// another does its work: races made to happen every time rather than now and then.
/// </summary>
public sealed class GatedCatalog(IMediaCatalog inner, Func<Guid, Task> beforeDelete) : IMediaCatalog
{
    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public Task AddAsync(MediaItem item, CancellationToken cancellationToken) => inner.AddAsync(item, cancellationToken);

    public Task<MediaItem?> FindAsync(Guid id, CancellationToken cancellationToken) => inner.FindAsync(id, cancellationToken);

    public Task<MediaPage> ListAsync(MediaListQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

    public Task<MediaItem?> TryUpdateStatusAsync(
        Guid id, long expectedVersion, MediaStatus status, string? reason, DateTimeOffset at, CancellationToken cancellationToken) =>
        inner.TryUpdateStatusAsync(id, expectedVersion, status, reason, at, cancellationToken);

    public Task<MediaItem?> TryReplaceAsync(MediaItem item, long expectedVersion, CancellationToken cancellationToken) =>
        inner.TryReplaceAsync(item, expectedVersion, cancellationToken);

    public Task<bool> TryClearEventPendingAsync(Guid id, long version, CancellationToken cancellationToken) =>
        inner.TryClearEventPendingAsync(id, version, cancellationToken);

    public Task<IReadOnlyList<MediaItem>> ListPendingEventsAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        inner.ListPendingEventsAsync(before, limit, cancellationToken);

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await beforeDelete(id);
        return await inner.DeleteAsync(id, cancellationToken);
    }
}
