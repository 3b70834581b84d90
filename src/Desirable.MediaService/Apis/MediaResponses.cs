using Desirable.Media.Model;
using Desirable.MediaService.Access;

namespace Desirable.MediaService.Apis;

/// <summary>An item as the API shows it, with the links a client follows.</summary>
public sealed record MediaItemResponse(
    Guid Id,
    string Owner,
    string DisplayName,
    string ContentType,
    MediaKind Kind,
    long Size,
    string Sha256,
    MediaItemStatus Status,
    string? StatusReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int? Width,
    int? Height,
    double? DurationSeconds,
    IReadOnlyDictionary<string, MediaVariantResponse> Variants,
    MediaLinks Links,
    MediaSignedUrls Urls)
{
    public static MediaItemResponse From(MediaItem item, SignedUrls signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var expires = signer.ExpiryForNow();
        var self = $"{MediaApi.BasePath}/{item.Id:D}";
        var variants = new Dictionary<string, MediaVariantResponse>(StringComparer.Ordinal);
        foreach (var name in MediaVariantName.All)
        {
            if (item.Variant(name) is { } variant)
            {
                variants[name] = new MediaVariantResponse(
                    $"{self}/variants/{name}", variant.ContentType, variant.Width, variant.Height, variant.Size);
            }
        }

        return new(item.Id, item.Owner, item.DisplayName, item.ContentType, item.Kind, item.Size, item.Sha256,
            StatusOf(item.Status), item.StatusReason, item.CreatedAt, item.UpdatedAt, item.Width, item.Height, item.DurationSeconds,
            variants, new MediaLinks(self, $"{self}/content"),
            new MediaSignedUrls(
                signer.Sign($"{self}/content", item.Id, SignedUrls.ContentTarget, expires),
                variants.ToDictionary(v => v.Key, v => signer.Sign(v.Value.Url, item.Id, v.Key, expires), StringComparer.Ordinal),
                expires));
    }

    // Deleting never reaches a client (every read leaves such items out), so the API's own status type has no such
    // value and its OpenAPI description does not promise one.
    private static MediaItemStatus StatusOf(MediaStatus status) => status switch
    {
        MediaStatus.Uploaded => MediaItemStatus.Uploaded,
        MediaStatus.Processing => MediaItemStatus.Processing,
        MediaStatus.Ready => MediaItemStatus.Ready,
        MediaStatus.Failed => MediaItemStatus.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Items being deleted are never shown."),
    };
}

/// <summary>An item's status as the API shows it: <see cref="MediaStatus"/> without the internal Deleting.</summary>
public enum MediaItemStatus
{
    Uploaded,
    Processing,
    Ready,
    Failed,
}

public sealed record MediaLinks(string Self, string Content);

/// <summary>
/// The item's bytes and variants without a token, for <c>&lt;img src&gt;</c> and <c>&lt;video src&gt;</c>: each works for
/// this item and target only, until <see cref="ExpiresAt"/>; ask for the item again for fresh ones.
/// </summary>
public sealed record MediaSignedUrls(string Content, IReadOnlyDictionary<string, string> Variants, DateTimeOffset ExpiresAt);

/// <summary>A variant of an item and where to fetch it.</summary>
public sealed record MediaVariantResponse(string Url, string ContentType, int Width, int Height, long Size);

/// <summary>One page of a listing; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record MediaPageResponse(IReadOnlyList<MediaItemResponse> Items, string? NextCursor);

/// <summary>
/// What the caller may upload, from this service's own configuration, so a client checks a file before sending it:
/// whether the caller may upload at all (and if not, why, in words to show), the largest file and the types accepted
/// (recognised from the file's bytes, not its name); and whether it may delete the items it sees (a right of its own:
/// an account may upload without it), so a client offers Delete only where it would succeed.
/// </summary>
public sealed record UploadPolicyResponse(bool CanUpload, string? Reason, long MaxFileSizeBytes, IReadOnlyList<string> AllowedContentTypes, bool CanDelete);
