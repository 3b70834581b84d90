using SkiaSharp;

namespace Desirable.MediaProcessor.Images;

/// <summary>
/// Makes the image variants with SkiaSharp. The speed comes from decoding at reduced scale where the codec can
/// (JPEG: eighths, in the IDCT) to the smallest size still at least the largest target, then downscaling that once.
/// Variants are freshly encoded pixels, so no EXIF, GPS or other metadata of the original reaches them; the EXIF
/// orientation is applied to the pixels instead.
/// </summary>
public sealed class ImageVariantMaker(int quality)
{
    /// <summary>Decodes the image at <paramref name="path"/> and makes one variant per target width.</summary>
    /// <exception cref="ProcessingRefusedException">Not decodable, corrupt, or over <paramref name="maxPixels"/>.</exception>
    public ProcessedMedia Make(string path, long maxPixels, IReadOnlyList<(string Name, int Width)> targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        using var codec = Open(path, maxPixels, out var origin, out var displayWidth, out var displayHeight);

        using var decoded = Decode(codec, origin, DecodeSize(codec, origin, LargestVariantWidth(displayWidth, displayHeight, targets)));
        cancellationToken.ThrowIfCancellationRequested();

        // Largest first, each smaller one from the one before: every downscale starts from the least pixels.
        // Downscale returns its source when the size is already right, so only bitmaps made here are disposed here.
        var variants = new Dictionary<string, EncodedVariant>(targets.Count, StringComparer.Ordinal);
        var previous = decoded;
        try
        {
            foreach (var (name, width) in targets.OrderByDescending(t => t.Width))
            {
                var (w, h) = VariantSize.Fit(displayWidth, displayHeight, width);
                var next = Downscale(previous, Raw(origin, w, h));
                if (!ReferenceEquals(previous, next) && !ReferenceEquals(previous, decoded))
                {
                    previous.Dispose();
                }

                previous = next;
                using var oriented = Orient(next, origin);
                variants[name] = Encode(name, oriented ?? next);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            if (!ReferenceEquals(previous, decoded))
            {
                previous.Dispose();
            }
        }

        return new ProcessedMedia(displayWidth, displayHeight, null, [.. targets.Select(t => variants[t.Name])]);
    }

    /// <summary>
    /// The memory <see cref="Make"/> will hold for this file, read from its header alone: the decoded bitmap (at the
    /// codec's reduced scale where it has one), the first halving, and the largest variant twice.
    /// </summary>
    /// <exception cref="ProcessingRefusedException">Not an image, or over <paramref name="maxPixels"/>.</exception>
    public static long EstimateBytes(string path, long maxPixels, IReadOnlyList<(string Name, int Width)> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        using var codec = Open(path, maxPixels, out var origin, out var displayWidth, out var displayHeight);
        var size = DecodeSize(codec, origin, LargestVariantWidth(displayWidth, displayHeight, targets));
        var decoded = 4L * size.Width * size.Height;
        var largest = targets.Select(t => VariantSize.Fit(displayWidth, displayHeight, t.Width)).Max(v => 4L * v.Width * v.Height);
        return decoded + (decoded / 4) + (2 * largest) + EncoderBytes;
    }

    /// <summary>What an encoder holds besides the pixels (a generous allowance: variants are small).</summary>
    private const long EncoderBytes = 4_000_000;

    private static int LargestVariantWidth(int displayWidth, int displayHeight, IReadOnlyList<(string Name, int Width)> targets) =>
        targets.Max(t => VariantSize.Fit(displayWidth, displayHeight, t.Width).Width);

    /// <summary>One variant only; what the thumbnail benchmark measures.</summary>
    public EncodedVariant MakeOne(string path, long maxPixels, string name, int width) =>
        Make(path, maxPixels, [(name, width)], CancellationToken.None).Variants[0];

    /// <summary>Opens the image and reads its size and orientation from the header, refusing it before any decoding.</summary>
    private static SKCodec Open(string path, long maxPixels, out SKEncodedOrigin origin, out int displayWidth, out int displayHeight)
    {
        var codec = SKCodec.Create(path, out var result)
            ?? throw new ProcessingRefusedException($"The file is not an image this service can decode ({result}).");
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0)
        {
            codec.Dispose();
            throw new ProcessingRefusedException("The image has no pixels.");
        }

        // Refused from the header alone: a small file can declare billions of pixels (a decompression bomb).
        if ((long)info.Width * info.Height > maxPixels)
        {
            codec.Dispose();
            throw new ProcessingRefusedException(
                $"The image is {info.Width} x {info.Height} pixels; at most {maxPixels:N0} pixels are processed.");
        }

        origin = codec.EncodedOrigin;
        (displayWidth, displayHeight) = SwapsAxes(origin) ? (info.Height, info.Width) : (info.Width, info.Height);
        return codec;
    }

    /// <summary>The smallest scale the codec offers whose display width is still at least <paramref name="targetWidth"/>.</summary>
    private static SKSizeI DecodeSize(SKCodec codec, SKEncodedOrigin origin, int targetWidth)
    {
        for (var eighths = 1; eighths <= 8; eighths++)
        {
            // GetScaledDimensions rounds to the nearest size it supports, which can land below the target: check it.
            var scaled = codec.GetScaledDimensions(eighths / 8f);
            var displayWidth = SwapsAxes(origin) ? scaled.Height : scaled.Width;
            if (displayWidth >= targetWidth)
            {
                return scaled;
            }
        }

        return codec.Info.Size;
    }

    private static SKBitmap Decode(SKCodec codec, SKEncodedOrigin origin, SKSizeI size)
    {
        var alpha = codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
        var info = new SKImageInfo(size.Width, size.Height, SKImageInfo.PlatformColorType, alpha);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new ProcessingRefusedException(result switch
            {
                SKCodecResult.IncompleteInput => "The image is truncated: its data ends before its last pixel.",
                SKCodecResult.ErrorInInput => "The image is corrupt: its data cannot be decoded.",
                _ => $"The image cannot be decoded ({result}).",
            });
        }

        return bitmap;
    }

    /// <summary>
    /// Halves with a linear filter while the source is at least twice the target (a box-like average, so no
    /// aliasing), then one cubic step to the exact size.
    /// </summary>
    private static SKBitmap Downscale(SKBitmap source, (int Width, int Height) target)
    {
        var current = source;
        while (current.Width >= target.Width * 2 && current.Height >= target.Height * 2)
        {
            var half = current.Resize(
                current.Info.WithSize(current.Width / 2, current.Height / 2), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
            if (!ReferenceEquals(current, source))
            {
                current.Dispose();
            }

            current = half;
        }

        if (current.Width == target.Width && current.Height == target.Height)
        {
            // Already the size: the source itself (no copy of a possibly large bitmap), or the last halving.
            return current;
        }

        var final = current.Resize(current.Info.WithSize(target.Width, target.Height), new SKSamplingOptions(SKCubicResampler.Mitchell));
        if (!ReferenceEquals(current, source))
        {
            current.Dispose();
        }

        return final;
    }

    private EncodedVariant Encode(string name, SKBitmap bitmap)
    {
        // JPEG for opaque images (small, fast, universal); WebP keeps transparency.
        var opaque = bitmap.AlphaType == SKAlphaType.Opaque;
        var format = opaque ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Webp;
        using var image = SKImage.FromBitmap(bitmap);
        // The same pixels fail the same way every time: a refusal, not something to retry.
        using var data = image.Encode(format, quality)
            ?? throw new ProcessingRefusedException($"The {name} of this {bitmap.Width} x {bitmap.Height} image could not be encoded.");
        return new EncodedVariant(name, opaque ? "image/jpeg" : "image/webp", bitmap.Width, bitmap.Height, data.ToArray());
    }

    private static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>Display size to the size before orientation.</summary>
    private static (int Width, int Height) Raw(SKEncodedOrigin origin, int width, int height) =>
        SwapsAxes(origin) ? (height, width) : (width, height);

    /// <summary>
    /// Applies the EXIF orientation, so the variant looks upright without metadata: a new bitmap, or null when the
    /// source is upright already.
    /// </summary>
    public static SKBitmap? Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(source);
        float w = source.Width, h = source.Height;
        // Maps source coordinates to upright ones: x' = a*x + b*y + c, y' = d*x + e*y + f.
        SKMatrix? matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
            _ => null,
        };
        if (matrix is not { } m)
        {
            return null;
        }

        var (width, height) = SwapsAxes(origin) ? (source.Height, source.Width) : (source.Width, source.Height);
        var upright = new SKBitmap(source.Info.WithSize(width, height));
        using var canvas = new SKCanvas(upright);
        canvas.SetMatrix(m);
        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        return upright;
    }
}
