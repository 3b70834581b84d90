namespace Desirable.MediaProcessor.Images;

/// <summary>Sizes of variants: a target width, never upscaled, the aspect ratio kept.</summary>
public static class VariantSize
{
    public static (int Width, int Height) Fit(int width, int height, int targetWidth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetWidth, 1);
        if (width <= targetWidth)
        {
            return (width, height);
        }

        var scaledHeight = (int)Math.Round((double)height * targetWidth / width, MidpointRounding.AwayFromZero);
        return (targetWidth, Math.Max(1, scaledHeight));
    }
}
