using System.Diagnostics;
using System.Security.Cryptography;
using Desirable.Media.Catalog;
using Desirable.Media.Model;
using Desirable.Media.Storage;
using Desirable.MediaProcessor.Events;
using Desirable.MediaProcessor.Images;
using Desirable.MediaProcessor.Videos;
using Microsoft.Extensions.Options;

namespace Desirable.MediaProcessor;

/// <summary>What the worker does with the message after a job.</summary>
public enum JobOutcome
{
    /// <summary>Finished (Ready, or nothing to do): delete the message.</summary>
    Done,

    /// <summary>Failed in a way that may pass next time: let the message come back.</summary>
    Retry,

    /// <summary>The item is Failed with its reason: move the message to the dead-letter queue.</summary>
    GaveUp,
}

/// <summary>
/// One job: Uploaded -> Processing -> Ready or Failed. Idempotent: the variants of an item always go to the same
/// keys with the same bytes, and every catalog write is conditional on the version read, so a second delivery of a
/// finished job changes nothing and two deliveries running at once produce one final status.
/// </summary>
public sealed class MediaItemProcessor(
    IMediaCatalog catalog,
    MediaStorage storage,
    ImageVariantMaker images,
    VideoPosterMaker videos,
    MediaEventPublisher events,
    ProcessingMetrics metrics,
    StorageMetrics storageMetrics,
    IOptions<ProcessingOptions> options,
    TimeProvider time,
    ILogger<MediaItemProcessor> logger)
{
    public static readonly ActivitySource ActivitySource = new("Desirable.Processing");

    /// <summary>The span of one delivery of a job, which the worker starts in the trace the job was sent from.</summary>
    public const string ActivityName = "process media";

    /// <param name="id">The item.</param>
    /// <param name="attempt">Which delivery of the job this is (1 for the first).</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public async Task<(JobOutcome Outcome, string? Reason)> ProcessAsync(Guid id, int attempt, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var settings = options.Value;

        var item = await catalog.FindAsync(id, cancellationToken);
        if (item is null)
        {
            // Deleted before or while it was processed: make sure no variant written by an earlier attempt stays.
            await storage.DeletePrefixAsync(MediaObjectKeys.Prefix(id), cancellationToken);
            return (JobOutcome.Done, null);
        }

        if (item.Status == MediaStatus.Deleting)
        {
            // Its delete owns it now and removes everything under its prefix.
            return (JobOutcome.Done, null);
        }

        if (item.Status.IsFinal())
        {
            // A duplicate, or the redelivery of a job whose processor died between the result and its event.
            logger.LogInformation("Item {MediaId} is already {Status}; duplicate job ignored.", id, item.Status);
            await events.PublishOwedAsync(item, CancellationToken.None);
            return (JobOutcome.Done, null);
        }

        if (item.Status == MediaStatus.Uploaded)
        {
            var processing = await catalog.TryUpdateStatusAsync(id, item.Version, MediaStatus.Processing, null, Now(), cancellationToken);
            if (processing is null)
            {
                // Another delivery or a delete got there first; whatever it is, the next delivery sees it.
                return (JobOutcome.Retry, null);
            }

            item = processing;
        }

        var kind = item.Kind.ToString().ToLowerInvariant();
        using var timeLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeLimit.CancelAfter(settings.JobTimeLimit);
        var work = Directory.CreateTempSubdirectory("desirable-job-").FullName;
        try
        {
            var original = Path.Combine(work, "original");
            if (!await storage.DownloadAsync(MediaObjectKeys.Original(id), original, timeLimit.Token))
            {
                return await GiveUpAsync(item, "The original file is missing from storage.", kind, started);
            }

            var result = item.Kind == MediaKind.Image
                ? await Task.Run(() => images.Make(original, settings.MaxPixels,
                    [(MediaVariantName.Thumb, settings.ThumbWidth), (MediaVariantName.Preview, settings.PreviewWidth)], timeLimit.Token), timeLimit.Token)
                : await videos.MakeAsync(original, item.ContentType, work, settings.MaxVideoDuration, settings.MaxPixels, settings.ThumbWidth, timeLimit.Token);

            var ready = item with
            {
                Status = MediaStatus.Ready,
                EventPending = true,
                StatusReason = null,
                UpdatedAt = Now(),
                Width = result.Width,
                Height = result.Height,
                DurationSeconds = result.DurationSeconds,
            };
            foreach (var variant in result.Variants)
            {
                await storage.PutAsync(MediaObjectKeys.Variant(id, variant.Name), variant.ContentType, variant.Bytes, timeLimit.Token);
                storageMetrics.BytesStored("variant", variant.Bytes.Length);
                var stored = new MediaVariant
                {
                    ContentType = variant.ContentType,
                    Width = variant.Width,
                    Height = variant.Height,
                    Size = variant.Bytes.Length,
                    Sha256 = Convert.ToHexStringLower(SHA256.HashData(variant.Bytes)),
                };
                ready = variant.Name == MediaVariantName.Thumb ? ready with { Thumb = stored } : ready with { Preview = stored };
            }

            // The variants are durable; now the catalog, and only then may the message go.
            var saved = await catalog.TryReplaceAsync(ready, item.Version, CancellationToken.None);
            if (saved is null)
            {
                if (await catalog.FindAsync(id, CancellationToken.None) is null or { Status: MediaStatus.Deleting })
                {
                    // Deleted while processing: its delete may have removed the objects before these variants were
                    // written, and nothing else will look under its prefix again.
                    await storage.DeletePrefixAsync(MediaObjectKeys.Prefix(id), CancellationToken.None);
                }

                return (JobOutcome.Done, null);
            }

            metrics.JobFinished(kind, "succeeded", Stopwatch.GetElapsedTime(started));
            logger.LogInformation("Item {MediaId} is Ready ({Width}x{Height}).", id, saved.Width, saved.Height);
            await events.PublishOwedAsync(saved, CancellationToken.None);
            return (JobOutcome.Done, null);
        }
        catch (ProcessingRefusedException e)
        {
            return await GiveUpAsync(item, e.Message, kind, started);
        }
        catch (OperationCanceledException) when (timeLimit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return await GiveUpAsync(item, $"Processing took longer than the limit of {settings.JobTimeLimit.TotalSeconds:0} s.", kind, started);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (attempt < settings.MaxAttempts)
            {
                logger.LogWarning(e, "Attempt {Attempt} of {MaxAttempts} for {MediaId} failed; it will be retried.", attempt, settings.MaxAttempts, id);
                metrics.JobFinished(kind, "retried", Stopwatch.GetElapsedTime(started));
                return (JobOutcome.Retry, e.Message);
            }

            return await GiveUpAsync(item, $"Processing failed {attempt} times; last error: {e.Message}", kind, started);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Marks the item Failed with a reason its owner can read, and announces it.</summary>
    public async Task<(JobOutcome, string?)> GiveUpAsync(MediaItem item, string reason, string kind, long started)
    {
        logger.LogWarning("Item {MediaId} failed: {Reason}", item.Id, reason);
        var failed = await catalog.TryUpdateStatusAsync(item.Id, item.Version, MediaStatus.Failed, reason, Now(), CancellationToken.None);
        metrics.JobFinished(kind, "failed", Stopwatch.GetElapsedTime(started));
        if (failed is not null)
        {
            await events.PublishOwedAsync(failed, CancellationToken.None);
        }
        else if (await catalog.FindAsync(item.Id, CancellationToken.None) is null or { Status: MediaStatus.Deleting })
        {
            // Deleted meanwhile (its original may be what went missing): nothing failed, and there is nothing to keep.
            return (JobOutcome.Done, null);
        }

        return (JobOutcome.GaveUp, reason);
    }

    private DateTimeOffset Now() => CatalogTime.Truncate(time.GetUtcNow());
}
