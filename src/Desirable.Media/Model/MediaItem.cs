namespace Desirable.Media.Model;

/// <summary>One stored media file and what the platform knows about it.</summary>
/// <remarks>
/// <see cref="Version"/> grows by one on every change so that concurrent status updates
/// (processing workers, deletes) can detect that they lost a race.
/// </remarks>
public sealed record MediaItem
{
    public required Guid Id { get; init; }
    public required string Owner { get; init; }
    public required string DisplayName { get; init; }
    public required string ContentType { get; init; }
    public required MediaKind Kind { get; init; }
    public required long Size { get; init; }
    public required string Sha256 { get; init; }
    public required MediaStatus Status { get; init; }
    public string? StatusReason { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public long Version { get; init; } = 1;

    /// <summary>
    /// The event of this version's final status (Ready or Failed) is owed: written together with that status, cleared
    /// once the event is published. This is the outbox: a crash between the two leaves it set, and the processor
    /// publishes it again (see <c>ProcessingReconciler</c>). Clearing it does not change <see cref="Version"/>.
    /// </summary>
    public bool EventPending { get; init; }

    /// <summary>Pixel size of the original (for images, as displayed: after EXIF orientation); known once processed.</summary>
    public int? Width { get; init; }

    public int? Height { get; init; }

    /// <summary>Length of a video, once processed.</summary>
    public double? DurationSeconds { get; init; }

    public MediaVariant? Thumb { get; init; }

    /// <summary>Images only.</summary>
    public MediaVariant? Preview { get; init; }

    public MediaVariant? Variant(string name) => name switch
    {
        MediaVariantName.Thumb => Thumb,
        MediaVariantName.Preview => Preview,
        _ => null,
    };
}
