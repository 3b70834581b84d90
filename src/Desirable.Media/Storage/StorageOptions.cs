using System.ComponentModel.DataAnnotations;

namespace Desirable.Media.Storage;

/// <summary>The <c>Storage</c> configuration section. Endpoint, region and credentials come from the standard AWS settings.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    [Required]
    public string BucketName { get; set; } = "";

    /// <summary>
    /// Size of the buffer that streams an upload to S3, one multipart part at a time. S3 needs parts of at
    /// least 5 MiB; the embedded emulator accepts request bodies up to 11 MiB.
    /// </summary>
    [Range(5 * 1024 * 1024, 10 * 1024 * 1024)]
    public int PartSizeBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// The largest upload (by its request's length) stored in one PutObject instead of a multipart upload, at most two
    /// parts. 10.5 MiB by default: a 10 MiB file with its form around it, below the 11 MiB request body the embedded
    /// emulator takes (S3 itself takes 5 GB in one PutObject).
    /// </summary>
    [Range(0, 20 * 1024 * 1024)]
    public int SinglePutMaxBytes { get; set; } = 10 * 1024 * 1024 + 512 * 1024;

    /// <summary>
    /// How long one S3 request may take to be answered before the SDK gives it up and tries again (three attempts in
    /// all). A store that accepts connections but never answers (an overloaded endpoint, a dropped route, a stopped
    /// local emulator behind Aspire's proxy) would otherwise hold every upload for the SDK's default of 100 s, longer
    /// than the gateway waits. It covers sending a whole part, so it must fit the largest part at the slowest link
    /// accepted: 10 s is 0.8 MiB/s for 8 MiB. Reading an object's body is not limited by it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Emulators serve buckets on paths, not on sub-domains.</summary>
    public bool ForcePathStyle { get; set; }
}
