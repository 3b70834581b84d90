using System.ComponentModel.DataAnnotations;

namespace Desirable.MediaProcessor;

/// <summary>
/// The processor's settings (section <c>Processing</c>, beside the queue's: <see cref="Desirable.Media.Jobs.JobQueueOptions"/>); the
/// AppHost sets the topic and the attempts.
/// </summary>
public sealed class ProcessingOptions
{
    public const string SectionName = "Processing";

    /// <summary>Jobs processed at once by this instance.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// Attempts before a job that keeps failing for a temporary reason is given up (the queue's maxReceiveCount, which
    /// the AppHost passes from the Media stack). A permanent reason (a refused file) fails the item at once.
    /// </summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after a first failed attempt; it doubles with each attempt (see <see cref="RetryBackoff"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "12:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between attempts; SQS allows a message to stay invisible for at most 12 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "12:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long one attempt may take before it is abandoned as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan JobTimeLimit { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Images with more pixels are refused before decoding (decompression bombs). 100 MP by default.</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = 100_000_000;

    /// <summary>
    /// Memory the image decodes in flight may hold together, estimated from each file's header before it is decoded
    /// (about five bytes per decoded pixel). 640 MB by default: one image at <see cref="MaxPixels"/> fits, and several
    /// photos decode at once. An image needing more than this is refused.
    /// </summary>
    [Range(16_000_000, long.MaxValue)]
    public long DecodeMemoryBudgetBytes { get; set; } = 640_000_000;

    /// <summary>Longer videos are refused.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxVideoDuration { get; set; } = TimeSpan.FromHours(2);

    [Range(16, 4096)]
    public int ThumbWidth { get; set; } = 320;

    [Range(16, 8192)]
    public int PreviewWidth { get; set; } = 1280;

    [Range(1, 100)]
    public int Quality { get; set; } = 82;

    /// <summary>Where Ready and Failed events go. Empty: no events (logged once at start).</summary>
    public string? EventsTopicArn { get; set; }

    /// <summary>How often the catalog is swept for items whose job was lost or never sent.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An Uploaded item this old gets its job sent again (its first send may have failed).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ResendUploadedAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// An item Processing this long after its last attempt began is given up as Failed: every attempt's processor
    /// died, and the queue has moved the job to the dead-letter queue. Each attempt marks the item, so this only has to
    /// outlast the longest wait between two attempts plus one attempt; the reconciler waits at least that long,
    /// whatever is configured, and not at all while the queue has a backlog the job may be in.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan GiveUpProcessingAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// While the job queue has a backlog, an Uploaded or Processing item's job may simply be queued behind others, so the
    /// reconciler leaves it alone, but not for ever: one that has waited this much longer than usual is resent or given
    /// up all the same (under a steady load the queue is never empty, and a lost job would otherwise wait for good).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan BacklogPatience { get; set; } = TimeSpan.FromHours(6);

    /// <summary>A Ready or Failed event still unpublished this long after its status is published by the reconciler.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RepublishEventsAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An item still Deleting this long (its delete was cut off) has its objects and entry removed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan FinishDeletesAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The key the AppHost's dashboard commands send (it makes one per run). Unset: the processor has no command
    /// endpoints at all.
    /// </summary>
    public string? CommandKey { get; set; }

    /// <summary>The ffmpeg and ffprobe executables (Debian: apt-get install ffmpeg).</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>
    /// A bundle's library directory (the deployed image's <c>/app/ffmpeg/lib</c>): the tools then run through the loader
    /// in it, with its libraries only. Unset: the tools are the host's own.
    /// </summary>
    public string? FfmpegLibraryPath { get; set; }
}
