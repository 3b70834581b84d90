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

    /// <summary>Emulators serve buckets on paths, not on sub-domains.</summary>
    public bool ForcePathStyle { get; set; }
}
