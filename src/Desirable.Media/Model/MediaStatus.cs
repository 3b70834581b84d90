namespace Desirable.Media.Model;

/// <summary>Lifecycle of an item: Uploaded, then Processing, then Ready or Failed.</summary>
public enum MediaStatus
{
    Uploaded,
    Processing,
    Ready,
    Failed,
}
