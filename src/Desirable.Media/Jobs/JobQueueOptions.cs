using System.ComponentModel.DataAnnotations;

namespace Desirable.Media.Jobs;

/// <summary>
/// The job queue both services use (section <c>Processing</c>, as the AppHost sets it): the media service sends jobs,
/// the processor receives them. The processor's own settings are in the same section.
/// </summary>
public sealed class JobQueueOptions
{
    public const string SectionName = "Processing";

    /// <summary>The job queue; its redrive policy sends a message that keeps failing to the dead-letter queue.</summary>
    [Required]
    public string QueueName { get; set; } = "media-processing";

    [Required]
    public string DeadLetterQueueName { get; set; } = "media-processing-dlq";

    /// <summary>How long a received job stays invisible to others; extended while the job runs.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "12:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long one SQS request may take to be answered, beyond a receive's long poll, before the SDK gives it up and
    /// tries again (see <see cref="Storage.StorageOptions.RequestTimeout"/> for why the SDK's 100 s is too long).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
