using System.ComponentModel.DataAnnotations;

namespace Desirable.Gateway.Protection;

/// <summary>
/// Per-client request limits at the edge (section <c>RateLimits</c>): a fixed window per signed-in user, or per
/// client IP for anonymous calls. Health endpoints are not limited.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 600;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Files the browser loads by the hundred count in a window of their own with this limit per client: the web app's
    /// framework files (<c>/_framework/</c>, <c>/_content/</c>: a first visit alone loads a few hundred of them in a
    /// Debug build) and media bytes read through signed URLs (a thumbnail per item as a gallery is scrolled). Counted
    /// with the API calls, they would use up the window of the calls that follow.
    /// </summary>
    [Range(1, 1_000_000)]
    public int AssetPermitLimit { get; set; } = 3_000;
}
