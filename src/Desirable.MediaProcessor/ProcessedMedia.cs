namespace Desirable.MediaProcessor;

/// <summary>What processing learnt about a file and the variants it made, encoded and ready to store.</summary>
public sealed record ProcessedMedia(int Width, int Height, double? DurationSeconds, IReadOnlyList<EncodedVariant> Variants);

/// <summary>One variant's bytes, before they are stored.</summary>
public sealed record EncodedVariant(string Name, string ContentType, int Width, int Height, byte[] Bytes);
