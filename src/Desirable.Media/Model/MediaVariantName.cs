namespace Desirable.Media.Model;

/// <summary>The variants the platform makes. Names are part of the API: <c>/v3.0/media/{id}/variants/{name}</c>.</summary>
public static class MediaVariantName
{
    /// <summary>320 px wide; for videos, a poster frame.</summary>
    public const string Thumb = "thumb";

    /// <summary>1280 px wide; images only.</summary>
    public const string Preview = "preview";

    public static IReadOnlyList<string> All { get; } = [Thumb, Preview];
}
