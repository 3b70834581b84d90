using System.ComponentModel.DataAnnotations;

namespace Desirable.MediaService.Access;

/// <summary>
/// Short-lived signed URLs for an item's bytes and variants, so <c>&lt;img&gt;</c> and <c>&lt;video&gt;</c> load them
/// without script and without a bearer header (section <c>SignedUrls</c>).
/// </summary>
public sealed class SignedUrlOptions
{
    public const string SectionName = "SignedUrls";

    /// <summary>
    /// The HMAC key, at least 32 characters; every instance of the service must share it. Unset in Development: one is
    /// made per process (signed URLs then end with the process).
    /// </summary>
    [MinLength(32)]
    public string? Secret { get; set; }

    /// <summary>How long a handed-out URL works at the most; the same URL is handed out for half of it, so browsers cache.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(15);
}
