namespace Desirable.MediaProcessor.Images;

/// <summary>
/// Sizes of variants: a target width, never upscaled, the aspect ratio kept; and at most
/// <see cref="MaxHeightPerWidth"/> times the target width tall, so a very narrow image still becomes a variant of a
/// sensible size (and within JPEG's 65,500-pixel side limit) instead of a copy of itself.
/// </summary>
public static class VariantSize
{
    public const int MaxHeightPerWidth = 4;

    public static (int Width, int Height) Fit(int width, int height, int targetWidth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetWidth, 1);
        var scale = Math.Min(1.0, Math.Min((double)targetWidth / width, (double)targetWidth * MaxHeightPerWidth / height));
        if (scale >= 1.0)
        {
            return (width, height);
        }

        return (Math.Max(1, (int)Math.Round(width * scale, MidpointRounding.AwayFromZero)),
            Math.Max(1, (int)Math.Round(height * scale, MidpointRounding.AwayFromZero)));
    }
}
