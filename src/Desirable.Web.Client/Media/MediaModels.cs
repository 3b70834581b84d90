namespace Desirable.Web.Client.Media;

/// <summary>The media API's item as this page reads it (the API's JSON, camel-cased, enums as strings).</summary>
public sealed record MediaItem(
    Guid Id,
    string DisplayName,
    string ContentType,
    string Kind,
    long Size,
    string Status,
    string? StatusReason,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, MediaVariant>? Variants,
    MediaLinks Links,
    MediaUrls? Urls)
{
    /// <summary>Processing is still to finish; the page keeps asking until it has.</summary>
    public bool IsPending => Status is "Uploaded" or "Processing";

    public MediaVariant? Thumb => Variants is not null && Variants.TryGetValue("thumb", out var thumb) ? thumb : null;

    /// <summary>The thumbnail's signed URL: an img element loads it itself, and the browser caches it.</summary>
    public string? ThumbSource => Urls?.Variants is { } variants && variants.TryGetValue("thumb", out var url) ? url : null;
}

/// <summary>The item's signed URLs, which need no token (the API signs them for this item and target, for a while).</summary>
public sealed record MediaUrls(string Content, IReadOnlyDictionary<string, string>? Variants, DateTimeOffset ExpiresAt);

public sealed record MediaVariant(string Url, int Width, int Height);

public sealed record MediaLinks(string Self, string Content);

public sealed record MediaPage(IReadOnlyList<MediaItem> Items, string? NextCursor);

/// <summary>An RFC 9457 problem detail from the API.</summary>
public sealed record Problem(string? Title, string? Detail, int? Status);
