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
    MediaLinks Links);

public sealed record MediaLinks(string Self, string Content);

public sealed record MediaPage(IReadOnlyList<MediaItem> Items, string? NextCursor);

/// <summary>An RFC 9457 problem detail from the API.</summary>
public sealed record Problem(string? Title, string? Detail, int? Status);
