namespace Desirable.Media.Model;

/// <summary>Lifecycle of an item: Uploaded, then Processing, then Ready or Failed; from any of them, Deleting.</summary>
public enum MediaStatus
{
    Uploaded,
    Processing,
    Ready,
    Failed,

    /// <summary>
    /// Being deleted: its owner sees it gone, and nothing may finish it any more. Set before any object is deleted,
    /// as a version change, so a processor that is still working loses its final write and cleans up after itself;
    /// then the objects go, then the entry. The processor's reconciler finishes a delete that was cut off.
    /// </summary>
    Deleting,
}

public static class MediaStatuses
{
    /// <summary>The statuses a client sees and filters by: every one but <see cref="MediaStatus.Deleting"/>.</summary>
    public static IReadOnlyList<MediaStatus> Visible { get; } = [MediaStatus.Uploaded, MediaStatus.Processing, MediaStatus.Ready, MediaStatus.Failed];

    /// <summary>Ready and Failed end processing, and each is announced by an event.</summary>
    public static bool IsFinal(this MediaStatus status) => status is MediaStatus.Ready or MediaStatus.Failed;
}
