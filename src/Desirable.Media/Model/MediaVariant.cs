namespace Desirable.Media.Model;

/// <summary>A derived rendition of an item (a thumbnail, a preview), stored beside the original.</summary>
public sealed record MediaVariant
{
    public required string ContentType { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required long Size { get; init; }

    /// <summary>Hex SHA-256 of the stored bytes; the variant's ETag.</summary>
    public required string Sha256 { get; init; }
}
