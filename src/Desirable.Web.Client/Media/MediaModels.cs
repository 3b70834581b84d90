namespace Desirable.Web.Client.Media;

/// <summary>The media API's item as the page reads it (the API's JSON, camel-cased, enums as strings).</summary>
public sealed record MediaItem(
    Guid Id,
    string Owner,
    string DisplayName,
    string ContentType,
    string Kind,
    long Size,
    string Status,
    string? StatusReason,
    DateTimeOffset CreatedAt,
    int? Width,
    int? Height,
    double? DurationSeconds,
    IReadOnlyDictionary<string, MediaVariant>? Variants,
    MediaLinks Links,
    MediaUrls? Urls)
{
    /// <summary>The statuses of an item whose processing is still to finish.</summary>
    public static readonly IReadOnlyList<string> PendingStatuses = ["Uploaded", "Processing"];

    /// <summary>Processing is still to finish; the page asks again until it has.</summary>
    public bool IsPending => PendingStatuses.Contains(Status);

    public bool IsVideo => Kind == "Video";

    public bool IsFailed => Status == "Failed";

    public MediaVariant? Thumb => Variant("thumb");

    /// <summary>The thumbnail's signed URL: an img element loads it itself, and the browser caches it.</summary>
    public string? ThumbSource => SignedVariant("thumb");

    /// <summary>What the viewer shows of an image: the 1280 px preview, or the original when it has none.</summary>
    public string? PreviewSource => SignedVariant("preview") ?? Urls?.Content;

    public MediaVariant? Variant(string name) => Variants is not null && Variants.TryGetValue(name, out var variant) ? variant : null;

    private string? SignedVariant(string name) => Urls?.Variants is { } variants && variants.TryGetValue(name, out var url) ? url : null;
}

/// <summary>The item's signed URLs, which need no token (the API signs them for this item and target, for a while).</summary>
public sealed record MediaUrls(string Content, IReadOnlyDictionary<string, string>? Variants, DateTimeOffset ExpiresAt);

public sealed record MediaVariant(string Url, int Width, int Height);

public sealed record MediaLinks(string Self, string Content);

public sealed record MediaPage(IReadOnlyList<MediaItem> Items, string? NextCursor);

/// <summary>What the signed-in user may upload, as the media service is configured, and whether it may delete.</summary>
public sealed record UploadPolicy(bool CanUpload, string? Reason, long MaxFileSizeBytes, IReadOnlyList<string> AllowedContentTypes, bool CanDelete);

/// <summary>An RFC 9457 problem detail from the API.</summary>
public sealed record Problem(string? Title, string? Detail, int? Status);

/// <summary>The gallery's filters, as the API's list query takes them (null: all).</summary>
public sealed record MediaFilter(string? Kind, string? Status);
