using Desirable.Media.Catalog;
using Desirable.Media.Jobs;
using Desirable.Media.Model;
using Microsoft.Extensions.Options;

namespace Desirable.MediaProcessor;

/// <summary>
/// Makes sure no item waits forever. An item still Uploaded after <see cref="ProcessingOptions.ResendUploadedAfter"/>
/// gets its job sent again (its first send failed, or the message was lost); duplicates are harmless. An item still
/// Processing after <see cref="ProcessingOptions.GiveUpProcessingAfter"/> had every attempt's processor die and its
/// job is in the dead-letter queue: it becomes Failed. An event still owed after
/// <see cref="ProcessingOptions.RepublishEventsAfter"/> is published (the outbox), and a delete cut off for
/// <see cref="ProcessingOptions.FinishDeletesAfter"/> is finished.
/// </summary>
public sealed class ProcessingReconciler(
    IMediaCatalog catalog,
    ProcessingJobs jobs,
    Events.MediaEventPublisher events,
    Desirable.Media.MediaDeletion deletion,
    IServiceScopeFactory scopes,
    IOptions<ProcessingOptions> options,
    IOptions<JobQueueOptions> queue,
    TimeProvider time,
    ILogger<ProcessingReconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval, time);
        try
        {
            do
            {
                try
                {
                    await ReconcileAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(e, "Reconciling processing states failed; trying again next round.");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();

        // Oldest first, a page per round: a long outage's backlog of events drains over a few rounds.
        foreach (var item in await catalog.ListPendingEventsAsync(now - settings.RepublishEventsAfter, 100, cancellationToken))
        {
            logger.LogInformation("The {Status} event of {MediaId} is still owed; publishing it.", item.Status, item.Id);
            if (!await events.PublishOwedAsync(item, cancellationToken))
            {
                break;
            }
        }

        await foreach (var item in StuckAsync(MediaStatus.Deleting, now - settings.FinishDeletesAfter, cancellationToken))
        {
            logger.LogInformation("The delete of {MediaId} was cut off; finishing it.", item.Id);
            await deletion.FinishAsync(item.Id, cancellationToken);
        }

        // With a backlog, an Uploaded or Processing item's job may simply be queued behind others: neither resending
        // it (every round, for every item) nor failing it would be right. Once the backlog drains, lost jobs show; an
        // item that has waited BacklogPatience longer than usual is dealt with all the same.
        var backlog = await jobs.BacklogAsync(cancellationToken);
        var patience = backlog > 0 ? settings.BacklogPatience : TimeSpan.Zero;
        if (backlog > 0)
        {
            logger.LogDebug("{Backlog} job(s) queued; leaving items that waited less than {Patience} longer than usual alone this round.", backlog, patience);
        }

        await foreach (var item in StuckAsync(MediaStatus.Uploaded, now - settings.ResendUploadedAfter - patience, cancellationToken))
        {
            // Marked as resent (its time moves on), so the next resend is another ResendUploadedAfter away.
            if (await catalog.TryUpdateStatusAsync(item.Id, item.Version, MediaStatus.Uploaded, null, CatalogTime.Truncate(now), cancellationToken) is not null)
            {
                logger.LogInformation("Item {MediaId} is still Uploaded; sending its job again.", item.Id);
                await jobs.EnqueueAsync(item.Id, cancellationToken);
            }
        }

        // Every attempt marks the item, so an item this long past its last attempt has no attempt coming.
        var giveUpAfter = Max(settings.GiveUpProcessingAfter, settings.RetryMaxDelay + settings.JobTimeLimit + queue.Value.VisibilityTimeout);
        await using var scope = scopes.CreateAsyncScope();
        var processor = scope.ServiceProvider.GetRequiredService<MediaItemProcessor>();
        await foreach (var item in StuckAsync(MediaStatus.Processing, now - giveUpAfter - patience, cancellationToken))
        {
            await processor.GiveUpAsync(item,
                "Processing did not finish: the processor stopped during every attempt. It can be tried again with the " +
                "processor's \"Redrive failed jobs\" command.",
                item.Kind.ToString().ToLowerInvariant(), System.Diagnostics.Stopwatch.GetTimestamp());
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private async IAsyncEnumerable<MediaItem> StuckAsync(
        MediaStatus status, DateTimeOffset before, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ListPosition? after = null;
        do
        {
            var page = await catalog.ListAsync(new MediaListQuery(Owner: null, Limit: 100, After: after, Status: status), cancellationToken);
            foreach (var item in page.Items.Where(i => i.UpdatedAt < before))
            {
                yield return item;
            }

            after = page.Next;
        }
        while (after is not null);
    }
}
