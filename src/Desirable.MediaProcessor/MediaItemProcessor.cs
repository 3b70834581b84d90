using System.Diagnostics;
using System.Security.Cryptography;
using Desirable.Contracts;
using Desirable.Media.Catalog;
using Desirable.Media.Model;
using Desirable.Media.Storage;
using Desirable.MediaProcessor.Events;
using Desirable.MediaProcessor.Images;
using Desirable.MediaProcessor.Videos;
using Microsoft.Extensions.Options;

namespace Desirable.MediaProcessor;

/// <summary>What the worker does with the message after a job, and why, and when to try again.</summary>
public readonly record struct JobResult(JobOutcome Outcome, string? Reason = null, TimeSpan RetryAfter = default)
{
    public static JobResult Done { get; } = new(JobOutcome.Done);
}

/// <summary>What the worker does with the message after a job.</summary>
public enum JobOutcome
{
    /// <summary>Finished (Ready, or nothing to do): delete the message.</summary>
    Done,

    /// <summary>Failed for a temporary reason: let the message come back after <see cref="JobResult.RetryAfter"/>.</summary>
    Retry,

    /// <summary>The item is Failed with its reason: move the message to the dead-letter queue.</summary>
    GaveUp,
}

/// <summary>
/// One job: Uploaded -> Processing -> Ready or Failed. Idempotent: the variants of an item always go to the same
/// keys with the same bytes, and every catalog write is conditional on the version read, so a second delivery of a
/// finished job changes nothing and two deliveries running at once produce one final status.
/// </summary>
public sealed partial class MediaItemProcessor(
    IMediaCatalog catalog,
    MediaStorage storage,
    ImageVariantMaker images,
    DecodeBudget budget,
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
    public async Task<JobResult> ProcessAsync(Guid id, int attempt, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var settings = options.Value;

        var item = await catalog.FindAsync(id, cancellationToken);
        if (item is null)
        {
            // Deleted before or while it was processed: make sure no variant written by an earlier attempt stays.
            await storage.DeletePrefixAsync(MediaObjectKeys.Prefix(id), cancellationToken);
            return JobResult.Done;
        }

        if (item.Status == MediaStatus.Deleting)
        {
            // Its delete owns it now and removes everything under its prefix.
            return JobResult.Done;
        }

        if (item.Status.IsFinal())
        {
            // A duplicate, or the redelivery of a job whose processor died between the result and its event.
            logger.LogInformation("Item {MediaId} is already {Status}; duplicate job ignored.", id, item.Status);
            await events.PublishOwedAsync(item, CancellationToken.None);
            return JobResult.Done;
        }

        if (item.Status == MediaStatus.Uploaded)
        {
            var processing = await catalog.TryUpdateStatusAsync(id, item.Version, MediaStatus.Processing, null, Now(), cancellationToken);
            if (processing is null)
            {
                // Another delivery or a delete got there first; whatever it is, the next delivery sees it.
                return new JobResult(JobOutcome.Retry, null, settings.RetryBaseDelay);
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

            (string, int)[] targets = [(MediaVariantName.Thumb, settings.ThumbWidth), (MediaVariantName.Preview, settings.PreviewWidth)];
            var result = item.Kind == MediaKind.Image
                ? await budget.RunAsync(ImageVariantMaker.EstimateBytes(original, settings.MaxPixels, targets),
                    () => images.Make(original, settings.MaxPixels, targets, timeLimit.Token), timeLimit.Token)
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

                return JobResult.Done;
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            metrics.JobFinished(kind, "succeeded", elapsed);
            LogReady(logger, id, saved.Width, saved.Height, (long)elapsed.TotalMilliseconds);
            await events.PublishOwedAsync(saved, CancellationToken.None);
            return JobResult.Done;
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
            // Anything else is taken as temporary (storage, the catalog or the network): waited out, not failed.
            if (attempt < settings.MaxAttempts)
            {
                var wait = RetryBackoff.After(attempt, settings, Random.Shared.NextDouble());
                logger.LogWarning(e, "Attempt {Attempt} of {MaxAttempts} for {MediaId} failed; trying again in {Wait}.", attempt, settings.MaxAttempts, id, wait);
                metrics.JobFinished(kind, "retried", Stopwatch.GetElapsedTime(started));
                await NoteRetryAsync(item, attempt, wait);
                return new JobResult(JobOutcome.Retry, null, wait);
            }

            logger.LogError(e, "Attempt {Attempt} of {MaxAttempts} for {MediaId} failed; giving up.", attempt, settings.MaxAttempts, id);
            return await GiveUpAsync(item,
                $"Processing kept failing for a temporary reason, {attempt} times over a long time. It can be tried again once " +
                "the cause is fixed: run the processor's \"Redrive failed jobs\" command.", kind, started);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Marks the item Failed with a reason its owner can read, and announces it.</summary>
    public async Task<JobResult> GiveUpAsync(MediaItem item, string reason, string kind, long started)
    {
        LogFailed(logger, item.Id, reason);
        var failed = await catalog.TryUpdateStatusAsync(item.Id, item.Version, MediaStatus.Failed, reason, Now(), CancellationToken.None);
        metrics.JobFinished(kind, "failed", Stopwatch.GetElapsedTime(started));
        if (failed is not null)
        {
            await events.PublishOwedAsync(failed, CancellationToken.None);
        }
        else if (await catalog.FindAsync(item.Id, CancellationToken.None) is null or { Status: MediaStatus.Deleting })
        {
            // Deleted meanwhile (its original may be what went missing): nothing failed, and there is nothing to keep.
            return JobResult.Done;
        }

        return new JobResult(JobOutcome.GaveUp, reason);
    }

    /// <summary>
    /// Tells the owner the item waits for another attempt, and marks when this attempt ended: the reconciler gives up
    /// only on an item whose last attempt is long past. Best effort: the catalog may be what is failing.
    /// </summary>
    private async Task NoteRetryAsync(MediaItem item, int attempt, TimeSpan wait)
    {
        try
        {
            await catalog.TryUpdateStatusAsync(item.Id, item.Version, MediaStatus.Processing,
                $"Attempt {attempt} failed for a temporary reason; trying again in about {Math.Ceiling(wait.TotalMinutes):0} min.",
                Now(), CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Could not note the retry of {MediaId}.", item.Id);
        }
    }

    private DateTimeOffset Now() => CatalogTime.Truncate(time.GetUtcNow());

    // Counted and measured by the Monitoring stack's metric filters, by these event ids.
    [LoggerMessage(EventId = ProcessorLogEvents.ItemReady, Level = LogLevel.Information, Message = "Item {MediaId} is Ready ({Width}x{Height}) after {ElapsedMs} ms.")]
    private static partial void LogReady(ILogger logger, Guid mediaId, int? width, int? height, long elapsedMs);

    [LoggerMessage(EventId = ProcessorLogEvents.ItemFailed, Level = LogLevel.Warning, Message = "Item {MediaId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid mediaId, string reason);
}
