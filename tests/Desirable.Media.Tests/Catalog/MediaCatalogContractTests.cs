using Desirable.Media.Catalog;
using Desirable.Media.Model;

namespace Desirable.Media.Tests.Catalog;

/// <summary>
/// What every catalog store must do, whatever it is built on. A store's test class derives from this and
/// supplies a fresh, empty catalog.
/// </summary>
public abstract class MediaCatalogContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    protected IMediaCatalog Catalog { get; private set; } = null!;

    protected abstract Task<IMediaCatalog> CreateCatalogAsync();

    public async ValueTask InitializeAsync()
    {
        Catalog = await CreateCatalogAsync();
        await Catalog.InitializeAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeCatalogAsync();
        GC.SuppressFinalize(this);
    }

    protected virtual ValueTask DisposeCatalogAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task InitializeIsIdempotent()
    {
        await Catalog.InitializeAsync(CancellationToken.None);
        await Catalog.AddAsync(Item("ann", T0), CancellationToken.None);
        await Catalog.InitializeAsync(CancellationToken.None);

        Assert.Single((await ListAll("ann")).Items);
    }

    [Fact]
    public async Task AnAddedItemReadsBackExactly()
    {
        var item = Item("ann", T0.AddMilliseconds(123)) with { StatusReason = "why not", DisplayName = "été 😀.jpg" };

        await Catalog.AddAsync(item, CancellationToken.None);

        Assert.Equal(item, await Catalog.FindAsync(item.Id, CancellationToken.None));
    }

    [Fact]
    public async Task TimesAreKeptToTheMillisecond()
    {
        var item = Item("ann", T0.AddTicks(1_234_567));
        await Catalog.AddAsync(item, CancellationToken.None);
        var updated = await Catalog.TryUpdateStatusAsync(item.Id, item.Version, MediaStatus.Processing, null, T0.AddTicks(29_999), CancellationToken.None);

        var stored = await Catalog.FindAsync(item.Id, CancellationToken.None);

        Assert.Equal(T0.AddMilliseconds(123), stored!.CreatedAt);
        Assert.Equal(T0.AddMilliseconds(2), stored.UpdatedAt);
        Assert.Equal(stored, updated);
        Assert.Equal(TimeSpan.Zero, stored.CreatedAt.Offset);
    }

    [Fact]
    public async Task TimesInAnyOffsetAreStoredAsTheSameInstant()
    {
        var item = Item("ann", T0.ToOffset(TimeSpan.FromHours(5.5)));
        await Catalog.AddAsync(item, CancellationToken.None);

        var stored = await Catalog.FindAsync(item.Id, CancellationToken.None);

        Assert.Equal(T0.UtcTicks, stored!.CreatedAt.UtcTicks);
    }

    [Fact]
    public async Task AddingAnExistingIdIsAConflict()
    {
        var item = Item("ann", T0);
        await Catalog.AddAsync(item, CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<CatalogConflictException>(() => Catalog.AddAsync(item with { Owner = "bob" }, CancellationToken.None));

        Assert.Equal(item.Id, conflict.Id);
        Assert.Equal("ann", (await Catalog.FindAsync(item.Id, CancellationToken.None))!.Owner);
    }

    [Fact]
    public async Task UnknownIdsAreNotFound()
    {
        Assert.Null(await Catalog.FindAsync(Guid.NewGuid(), CancellationToken.None));
        Assert.False(await Catalog.DeleteAsync(Guid.NewGuid(), CancellationToken.None));
        Assert.Null(await Catalog.TryUpdateStatusAsync(Guid.NewGuid(), 1, MediaStatus.Ready, null, T0, CancellationToken.None));
    }

    [Fact]
    public async Task ListsNewestFirstAndOnlyTheOwnersItems()
    {
        var old = Item("ann", T0);
        var mid = Item("ann", T0.AddMinutes(1));
        var newest = Item("ann", T0.AddMinutes(2));
        var others = Item("bob", T0.AddMinutes(3));
        foreach (var item in new[] { mid, others, old, newest })
        {
            await Catalog.AddAsync(item, CancellationToken.None);
        }

        var page = await ListAll("ann");

        Assert.Equal([newest.Id, mid.Id, old.Id], page.Items.Select(i => i.Id));
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task WithoutAnOwnerEveryonesItemsAreListed()
    {
        await Catalog.AddAsync(Item("ann", T0), CancellationToken.None);
        await Catalog.AddAsync(Item("bob", T0.AddSeconds(1)), CancellationToken.None);

        var page = await Catalog.ListAsync(new MediaListQuery(Owner: null, Limit: 10), CancellationToken.None);

        Assert.Equal(["bob", "ann"], page.Items.Select(i => i.Owner));
    }

    [Fact]
    public async Task PagesCoverEveryItemOnceEvenWhenTimestampsTie()
    {
        // Seven items share one timestamp: only the id can order them, and paging must not skip or repeat any.
        var items = Enumerable.Range(0, 7).Select(_ => Item("ann", T0))
            .Concat(Enumerable.Range(1, 5).Select(i => Item("ann", T0.AddMilliseconds(i))))
            .ToList();
        foreach (var item in items)
        {
            await Catalog.AddAsync(item, CancellationToken.None);
        }

        var seen = new List<MediaItem>();
        ListPosition? after = null;
        var pages = 0;
        do
        {
            var page = await Catalog.ListAsync(new MediaListQuery("ann", Limit: 3, After: after), CancellationToken.None);
            Assert.True(page.Items.Count <= 3);
            seen.AddRange(page.Items);
            after = page.Next;
            pages++;
        }
        while (after is not null);

        var expected = items
            .OrderByDescending(i => i.CreatedAt)
            .ThenByDescending(i => i.Id.ToString("D"), StringComparer.Ordinal)
            .Select(i => i.Id);
        Assert.Equal(expected, seen.Select(i => i.Id));
        Assert.Equal(4, pages);
    }

    [Fact]
    public async Task APositionBetweenTwoMillisecondsListsEverythingAtTheEarlierOne()
    {
        // Stores only hold whole milliseconds; a cursor between two of them must still split the list exactly.
        var atT0 = Enumerable.Range(0, 3).Select(_ => Item("ann", T0)).ToList();
        var later = Item("ann", T0.AddMilliseconds(1));
        foreach (var item in atT0.Append(later))
        {
            await Catalog.AddAsync(item, CancellationToken.None);
        }

        var page = await Catalog.ListAsync(
            new MediaListQuery("ann", 10, After: new ListPosition(T0.AddTicks(5_000), Guid.Empty)), CancellationToken.None);

        Assert.Equal(atT0.Select(i => i.Id).Order(), page.Items.Select(i => i.Id).Order());
    }

    [Fact]
    public async Task ALimitOfOnePagesThroughOneItemAtATime()
    {
        var first = Item("ann", T0);
        var second = Item("ann", T0.AddSeconds(1));
        await Catalog.AddAsync(first, CancellationToken.None);
        await Catalog.AddAsync(second, CancellationToken.None);

        var page1 = await Catalog.ListAsync(new MediaListQuery("ann", 1), CancellationToken.None);
        var page2 = await Catalog.ListAsync(new MediaListQuery("ann", 1, page1.Next), CancellationToken.None);

        Assert.Equal([second.Id], page1.Items.Select(i => i.Id));
        Assert.Equal([first.Id], page2.Items.Select(i => i.Id));
        Assert.Null(page2.Next);
    }

    [Fact]
    public async Task ALastPageThatIsExactlyFullHasNoNextPosition()
    {
        for (var i = 0; i < 4; i++)
        {
            await Catalog.AddAsync(Item("ann", T0.AddSeconds(i)), CancellationToken.None);
        }

        var first = await Catalog.ListAsync(new MediaListQuery("ann", Limit: 2), CancellationToken.None);
        var second = await Catalog.ListAsync(new MediaListQuery("ann", Limit: 2, After: first.Next), CancellationToken.None);

        Assert.NotNull(first.Next);
        Assert.Equal(2, second.Items.Count);
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task AnEmptyCatalogListsNothing()
    {
        var page = await ListAll("ann");

        Assert.Empty(page.Items);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task FiltersByKindAndStatusTogetherWithPaging()
    {
        var images = Enumerable.Range(0, 3).Select(i => Item("ann", T0.AddSeconds(i))).ToList();
        var video = Item("ann", T0.AddSeconds(10)) with { Kind = MediaKind.Video, ContentType = "video/mp4" };
        var readyImage = Item("ann", T0.AddSeconds(20)) with { Status = MediaStatus.Ready };
        foreach (var item in images.Append(video).Append(readyImage))
        {
            await Catalog.AddAsync(item, CancellationToken.None);
        }

        var videos = await Catalog.ListAsync(new MediaListQuery("ann", 10, Kind: MediaKind.Video), CancellationToken.None);
        var ready = await Catalog.ListAsync(new MediaListQuery("ann", 10, Status: MediaStatus.Ready), CancellationToken.None);
        var uploadedImages = await Catalog.ListAsync(
            new MediaListQuery("ann", 2, Kind: MediaKind.Image, Status: MediaStatus.Uploaded), CancellationToken.None);
        var rest = await Catalog.ListAsync(
            new MediaListQuery("ann", 2, uploadedImages.Next, MediaKind.Image, MediaStatus.Uploaded), CancellationToken.None);

        Assert.Equal([video.Id], videos.Items.Select(i => i.Id));
        Assert.Equal([readyImage.Id], ready.Items.Select(i => i.Id));
        Assert.Equal([images[2].Id, images[1].Id], uploadedImages.Items.Select(i => i.Id));
        Assert.Equal([images[0].Id], rest.Items.Select(i => i.Id));
        Assert.Null(rest.Next);
    }

    [Fact]
    public async Task StatusMovesOnlyFromTheExpectedVersion()
    {
        var item = Item("ann", T0);
        await Catalog.AddAsync(item, CancellationToken.None);

        var processing = await Catalog.TryUpdateStatusAsync(item.Id, item.Version, MediaStatus.Processing, null, T0.AddSeconds(1), CancellationToken.None);
        var stale = await Catalog.TryUpdateStatusAsync(item.Id, item.Version, MediaStatus.Failed, "late", T0.AddSeconds(2), CancellationToken.None);
        var ready = await Catalog.TryUpdateStatusAsync(item.Id, processing!.Version, MediaStatus.Ready, null, T0.AddSeconds(3), CancellationToken.None);

        Assert.Equal(MediaStatus.Processing, processing.Status);
        Assert.Equal(item.Version + 1, processing.Version);
        Assert.Null(stale);
        Assert.Equal(MediaStatus.Ready, ready!.Status);
        Assert.Equal(T0.AddSeconds(3), ready.UpdatedAt);
        Assert.Equal(item.CreatedAt, ready.CreatedAt);
        Assert.Equal(ready, await Catalog.FindAsync(item.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AStatusUpdateReplacesTheReasonAndKeepsEverythingElse()
    {
        var item = Item("ann", T0);
        await Catalog.AddAsync(item, CancellationToken.None);
        var failed = await Catalog.TryUpdateStatusAsync(item.Id, item.Version, MediaStatus.Failed, "decoder error", T0.AddSeconds(1), CancellationToken.None);

        var retried = await Catalog.TryUpdateStatusAsync(item.Id, failed!.Version, MediaStatus.Processing, null, T0.AddSeconds(2), CancellationToken.None);

        Assert.Equal("decoder error", failed.StatusReason);
        Assert.Null(retried!.StatusReason);
        Assert.Equal(item with { Status = MediaStatus.Processing, UpdatedAt = T0.AddSeconds(2), Version = item.Version + 2 }, retried);
    }

    [Fact]
    public async Task ConcurrentStatusUpdatesFromOneVersionHaveExactlyOneWinner()
    {
        var item = Item("ann", T0);
        await Catalog.AddAsync(item, CancellationToken.None);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Catalog.TryUpdateStatusAsync(item.Id, item.Version, MediaStatus.Failed, $"writer {i}", T0, CancellationToken.None))));

        Assert.Single(attempts, a => a is not null);
    }

    [Fact]
    public async Task ADeletedItemCannotChangeStatus()
    {
        var item = Item("ann", T0);
        await Catalog.AddAsync(item, CancellationToken.None);
        await Catalog.DeleteAsync(item.Id, CancellationToken.None);

        Assert.Null(await Catalog.TryUpdateStatusAsync(item.Id, item.Version, MediaStatus.Ready, null, T0, CancellationToken.None));
        Assert.Null(await Catalog.FindAsync(item.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AProcessedItemReplacesTheStoredOneAndReadsBackExactly()
    {
        var item = Item("ann", T0);
        await Catalog.AddAsync(item, CancellationToken.None);
        var processed = item with
        {
            Status = MediaStatus.Ready,
            UpdatedAt = T0.AddSeconds(5),
            Width = 4000,
            Height = 3000,
            Thumb = new MediaVariant { ContentType = "image/webp", Width = 320, Height = 240, Size = 9_000, Sha256 = new string('b', 64) },
            Preview = new MediaVariant { ContentType = "image/webp", Width = 1280, Height = 960, Size = 90_000, Sha256 = new string('c', 64) },
        };

        var stored = await Catalog.TryReplaceAsync(processed, item.Version, CancellationToken.None);

        Assert.Equal(processed with { Version = item.Version + 1 }, stored);
        Assert.Equal(stored, await Catalog.FindAsync(item.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AVideosDurationReadsBackExactly()
    {
        var video = Item("ann", T0) with { Kind = MediaKind.Video, ContentType = "video/mp4", DurationSeconds = 12.345, Width = 1920, Height = 1080 };
        await Catalog.AddAsync(video, CancellationToken.None);

        Assert.Equal(video, await Catalog.FindAsync(video.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AReplaceFromAStaleVersionChangesNothing()
    {
        var item = Item("ann", T0);
        await Catalog.AddAsync(item, CancellationToken.None);
        var processing = await Catalog.TryUpdateStatusAsync(item.Id, item.Version, MediaStatus.Processing, null, T0.AddSeconds(1), CancellationToken.None);

        var stale = await Catalog.TryReplaceAsync(item with { Status = MediaStatus.Ready, Width = 1 }, item.Version, CancellationToken.None);

        Assert.Null(stale);
        Assert.Equal(processing, await Catalog.FindAsync(item.Id, CancellationToken.None));
        Assert.Null(await Catalog.TryReplaceAsync(Item("ann", T0), 1, CancellationToken.None));
    }

    [Fact]
    public async Task DeletedItemsAreGone()
    {
        var item = Item("ann", T0);
        var kept = Item("ann", T0.AddSeconds(1));
        await Catalog.AddAsync(item, CancellationToken.None);
        await Catalog.AddAsync(kept, CancellationToken.None);

        Assert.True(await Catalog.DeleteAsync(item.Id, CancellationToken.None));
        Assert.False(await Catalog.DeleteAsync(item.Id, CancellationToken.None));
        Assert.Null(await Catalog.FindAsync(item.Id, CancellationToken.None));
        Assert.Equal([kept.Id], (await ListAll("ann")).Items.Select(i => i.Id));
    }

    [Fact]
    public async Task ItemsBeingDeletedAreLeftOutOfListsUnlessAskedFor()
    {
        var item = Item("ann", T0);
        var kept = Item("ann", T0.AddSeconds(1));
        await Catalog.AddAsync(item, CancellationToken.None);
        await Catalog.AddAsync(kept, CancellationToken.None);

        var deleting = await Catalog.TryUpdateStatusAsync(item.Id, item.Version, MediaStatus.Deleting, null, T0.AddSeconds(2), CancellationToken.None);

        Assert.Equal(item.Version + 1, deleting!.Version);
        Assert.Equal([kept.Id], (await ListAll("ann")).Items.Select(i => i.Id));
        Assert.Equal([kept.Id], (await Catalog.ListAsync(new MediaListQuery(null, MaxLimit), CancellationToken.None)).Items.Select(i => i.Id));
        Assert.Equal([item.Id], (await Catalog.ListAsync(new MediaListQuery(null, MaxLimit, Status: MediaStatus.Deleting), CancellationToken.None)).Items.Select(i => i.Id));
        // A writer that read the item before the delete began loses: the delete owns it now.
        Assert.Null(await Catalog.TryReplaceAsync(item with { Status = MediaStatus.Ready }, item.Version, CancellationToken.None));
    }

    [Fact]
    public async Task AFinalStatusOwesAnEventUntilItIsClearedForThatVersion()
    {
        var failed = Item("ann", T0);
        var ready = Item("ann", T0.AddSeconds(1));
        var uploaded = Item("ann", T0.AddSeconds(2));
        await Catalog.AddAsync(failed, CancellationToken.None);
        await Catalog.AddAsync(ready, CancellationToken.None);
        await Catalog.AddAsync(uploaded, CancellationToken.None);

        var failedNow = await Catalog.TryUpdateStatusAsync(failed.Id, failed.Version, MediaStatus.Failed, "broken", T0.AddSeconds(10), CancellationToken.None);
        var readyNow = await Catalog.TryReplaceAsync(ready with { Status = MediaStatus.Ready, EventPending = true, UpdatedAt = T0.AddSeconds(11) }, ready.Version, CancellationToken.None);
        Assert.True(failedNow!.EventPending);
        Assert.True(readyNow!.EventPending);

        // Oldest first, only those changed before the moment asked, never one that owes nothing.
        Assert.Equal([failed.Id, ready.Id], (await Catalog.ListPendingEventsAsync(T0.AddMinutes(1), 10, CancellationToken.None)).Select(i => i.Id));
        Assert.Equal([failed.Id], (await Catalog.ListPendingEventsAsync(T0.AddSeconds(11), 10, CancellationToken.None)).Select(i => i.Id));
        Assert.Equal([failed.Id], (await Catalog.ListPendingEventsAsync(T0.AddMinutes(1), 1, CancellationToken.None)).Select(i => i.Id));

        // Clearing needs the version the event was made from, and does not change it.
        Assert.False(await Catalog.TryClearEventPendingAsync(failed.Id, failed.Version, CancellationToken.None));
        Assert.True(await Catalog.TryClearEventPendingAsync(failed.Id, failedNow.Version, CancellationToken.None));
        Assert.False(await Catalog.TryClearEventPendingAsync(failed.Id, failedNow.Version, CancellationToken.None));
        Assert.Equal(failedNow with { EventPending = false }, await Catalog.FindAsync(failed.Id, CancellationToken.None));
        Assert.Equal([ready.Id], (await Catalog.ListPendingEventsAsync(T0.AddMinutes(1), 10, CancellationToken.None)).Select(i => i.Id));

        // Leaving a final status (a delete) owes nothing more.
        await Catalog.TryUpdateStatusAsync(ready.Id, readyNow.Version, MediaStatus.Deleting, null, T0.AddSeconds(12), CancellationToken.None);
        Assert.Empty(await Catalog.ListPendingEventsAsync(T0.AddMinutes(1), 10, CancellationToken.None));
    }

    private Task<MediaPage> ListAll(string owner) =>
        Catalog.ListAsync(new MediaListQuery(owner, MaxLimit), CancellationToken.None);

    private const int MaxLimit = 100;

    protected static MediaItem Item(string owner, DateTimeOffset createdAt) => new()
    {
        Id = Guid.NewGuid(),
        Owner = owner,
        DisplayName = "photo.jpg",
        ContentType = "image/jpeg",
        Kind = MediaKind.Image,
        Size = 1234,
        Sha256 = new string('a', 64),
        Status = MediaStatus.Uploaded,
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };
}
