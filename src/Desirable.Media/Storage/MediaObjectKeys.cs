namespace Desirable.Media.Storage;

/// <summary>Where an item's objects live in the bucket. Keys derive from the id only, never from client input.</summary>
public static class MediaObjectKeys
{
    public static string Prefix(Guid id) => $"media/{id:D}/";

    public static string Original(Guid id) => $"{Prefix(id)}original";

    /// <summary>Only names from <see cref="Model.MediaVariantName"/> are ever passed here.</summary>
    public static string Variant(Guid id, string name) => $"{Prefix(id)}variants/{name}";
}
