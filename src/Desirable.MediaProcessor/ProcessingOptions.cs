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

    /// <summary>Attempts before a failing job is given up (and the queue's maxReceiveCount).</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long one attempt may take before it is abandoned as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan JobTimeLimit { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Images with more pixels are refused before decoding (decompression bombs). 100 MP by default.</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = 100_000_000;

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
    /// An item Processing this long is given up as Failed: every attempt's processor died, and the queue has moved
    /// the job to the dead-letter queue. Longer than all attempts with their time limits.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan GiveUpProcessingAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A Ready or Failed event still unpublished this long after its status is published by the reconciler.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RepublishEventsAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An item still Deleting this long (its delete was cut off) has its objects and entry removed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan FinishDeletesAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The ffmpeg and ffprobe executables (Debian: apt-get install ffmpeg).</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    public string FfprobePath { get; set; } = "ffprobe";
}
