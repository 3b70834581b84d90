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

    public bool IsAllowed(string contentType) =>
        (AllowedContentTypes.Length == 0 ? DefaultAllowedContentTypes : AllowedContentTypes)
            .Contains(contentType, StringComparer.OrdinalIgnoreCase);

    /// <summary>Room for multipart boundaries and part headers on top of the file itself.</summary>
    public const long MultipartOverheadBytes = UploadFraming.MultipartOverheadBytes;

    public long MaxRequestBodyBytes => MaxFileSizeBytes + MultipartOverheadBytes;
}
