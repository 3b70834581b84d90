using System.ComponentModel.DataAnnotations;
using Desirable.Contracts;

namespace Desirable.MediaService.Uploads;

/// <summary>The <c>Uploads</c> configuration section.</summary>
public sealed class UploadOptions
{
    public const string SectionName = "Uploads";

    /// <summary>Largest accepted file, in bytes. 100 MiB unless configured.</summary>
    [Range(1, long.MaxValue)]
    public long MaxFileSizeBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>
    /// Content types accepted; each must be one that <see cref="ContentSniffer"/> recognises. Empty means
    /// <see cref="DefaultAllowedContentTypes"/> (the binder appends to arrays, so the default cannot live here).
    /// </summary>
    public string[] AllowedContentTypes { get; set; } = [];

    public static readonly IReadOnlyList<string> DefaultAllowedContentTypes =
        ["image/jpeg", "image/png", "image/webp", "image/gif", "video/mp4", "video/webm", "video/quicktime"];

    /// <summary>The content types accepted: the configured ones, or the default list.</summary>
    public IReadOnlyList<string> EffectiveAllowedContentTypes =>
        AllowedContentTypes.Length == 0 ? DefaultAllowedContentTypes : AllowedContentTypes;

    public bool IsAllowed(string contentType) =>
        EffectiveAllowedContentTypes.Contains(contentType, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Uploads received at once by one instance. Each may hold two storage parts in memory (8 MiB each by default),
    /// so the default of 16 bounds uploads to about 256 MiB. More are refused with 503 and Retry-After.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConcurrentUploads { get; set; } = 16;

    /// <summary>Uploads one user may have in progress at once; more are refused with 429 and Retry-After.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentUploadsPerUser { get; set; } = 4;

    /// <summary>
    /// The slowest a client may send: every <see cref="DataRateWindow"/> must bring this many bytes per second, or
    /// the upload ends with 408 and leaves nothing behind. 8 KiB/s by default, far below any usable connection.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MinimumBytesPerSecond { get; set; } = 8 * 1024;

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan DataRateWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Room for multipart boundaries and part headers on top of the file itself.</summary>
    public const long MultipartOverheadBytes = UploadFraming.MultipartOverheadBytes;

    public long MaxRequestBodyBytes => MaxFileSizeBytes + MultipartOverheadBytes;
}
