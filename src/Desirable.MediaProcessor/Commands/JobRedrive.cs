using Desirable.Media.Catalog;
using Desirable.Media.Jobs;
using Desirable.Media.Model;

namespace Desirable.MediaProcessor.Commands;

/// <summary>
/// Sends the jobs of the dead-letter queue through processing again, for real: each item is first put back to
/// Uploaded (a Failed item too, with its reason cleared), so the processor works on it from the start rather than
/// ignoring a finished job. Run it once the cause is fixed (storage back, ffmpeg installed, a limit raised).
/// </summary>
public sealed class JobRedrive(ProcessingJobs jobs, IMediaCatalog catalog, TimeProvider time, ILogger<JobRedrive> logger)
{
    /// <summary>Jobs moved by one run; the command can be run again for more.</summary>
    public const int MaxPerRun = 1000;

    public async Task<RedriveResult> RunAsync(CancellationToken cancellationToken)
    {
        var (moved, kept) = await jobs.RedriveAsync(MaxPerRun, PrepareAsync, cancellationToken);
        logger.LogInformation("Redrive: {Moved} job(s) sent back for processing, {Kept} left in the dead-letter queue.", moved, kept);
        return new RedriveResult(moved, kept);
    }

    private async Task<bool> PrepareAsync(Guid id)
    {
        var item = await catalog.FindAsync(id, CancellationToken.None);
        if (item is null || item.Status is MediaStatus.Uploaded or MediaStatus.Ready or MediaStatus.Deleting)
        {
            // Nothing to reset: a deleted item's job only cleans up, a Ready one's only pays an owed event.
            return true;
        }

        return await catalog.TryUpdateStatusAsync(id, item.Version, MediaStatus.Uploaded, null,
            CatalogTime.Truncate(time.GetUtcNow()), CancellationToken.None) is not null;
    }
}

/// <summary>What a redrive did, as the command shows it.</summary>
public sealed record RedriveResult(int Redriven, int LeftInDeadLetterQueue)
{
    public string Message => (Redriven, LeftInDeadLetterQueue) switch
    {
        (0, 0) => "The dead-letter queue is empty: there is nothing to redrive.",
        (_, 0) => $"{Redriven} job(s) sent back for processing.",
        _ => $"{Redriven} job(s) sent back for processing; {LeftInDeadLetterQueue} could not be and stay in the dead-letter queue (see the processor's log).",
    };
}
