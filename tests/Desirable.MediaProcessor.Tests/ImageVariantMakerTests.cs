using System.Text;
using Desirable.MediaProcessor;
using Desirable.MediaProcessor.Images;
using SkiaSharp;

namespace Desirable.MediaProcessor.Tests;

public sealed class ImageVariantMakerTests : IDisposable
{
    private static readonly (string, int)[] ThumbAndPreview = [("thumb", 320), ("preview", 1280)];
    private readonly string _directory = Directory.CreateTempSubdirectory("desirable-images-").FullName;
    private readonly ImageVariantMaker _maker = new(quality: 85);

    [Fact]
    public void AJpegGetsAThumbAndAPreviewAtTheirWidthsWithItsAspectRatio()
    {
        var result = _maker.Make(Write(TestImages.Jpeg(2000, 1500)), 100_000_000, ThumbAndPreview, TestContext.Current.CancellationToken);

        Assert.Equal((2000, 1500), (result.Width, result.Height));
        var thumb = Assert.Single(result.Variants, v => v.Name == "thumb");
        var preview = Assert.Single(result.Variants, v => v.Name == "preview");
        Assert.Equal((320, 240, "image/jpeg"), (thumb.Width, thumb.Height, thumb.ContentType));
        Assert.Equal((1280, 960, "image/jpeg"), (preview.Width, preview.Height, preview.ContentType));
        using var decoded = TestImages.Decode(thumb.Bytes);
        Assert.Equal((320, 240), (decoded.Width, decoded.Height));
        AssertCorners(decoded, TestImages.TopLeft, TestImages.TopRight, TestImages.BottomLeft, TestImages.BottomRight);
    }

    [Fact]
    public void ASmallImageIsNeverUpscaled()
    {
        var result = _maker.Make(Write(TestImages.Png(200, 100)), 100_000_000, ThumbAndPreview, TestContext.Current.CancellationToken);

        Assert.All(result.Variants, v => Assert.Equal((200, 100), (v.Width, v.Height)));
    }

    [Fact]
    public void TransparencyIsKeptAsWebP()
    {
        var result = _maker.Make(Write(TestImages.Png(800, 600, transparent: true)), 100_000_000, ThumbAndPreview, TestContext.Current.CancellationToken);

        var thumb = result.Variants.Single(v => v.Name == "thumb");
        Assert.Equal("image/webp", thumb.ContentType);
        using var decoded = TestImages.Decode(thumb.Bytes);
        Assert.InRange(decoded.GetPixel(10, 10).Alpha, 100, 160);
    }

    [Theory]
    [InlineData(1, 400, 200, "TL TR BL BR")]
    [InlineData(2, 400, 200, "TR TL BR BL")]
    [InlineData(3, 400, 200, "BR BL TR TL")]
    [InlineData(4, 400, 200, "BL BR TL TR")]
    [InlineData(5, 200, 400, "TL BL TR BR")]
    [InlineData(6, 200, 400, "BL TL BR TR")]
    [InlineData(7, 200, 400, "BR TR BL TL")]
    [InlineData(8, 200, 400, "TR BR TL BL")]
    public void EveryExifOrientationComesOutUpright(ushort orientation, int width, int height, string corners)
    {
        // Stored 400 x 200 with quadrants; each orientation says how to show it. Expected corners, read as
        // top-left, top-right, bottom-left, bottom-right of the upright picture, are named after the stored quadrants.
        var path = Write(TestImages.JpegWithExif(400, 200, orientation, "camera"));

        var result = _maker.Make(path, 100_000_000, [("thumb", 320)], TestContext.Current.CancellationToken);

        Assert.Equal((width, height), (result.Width, result.Height));
        using var decoded = TestImages.Decode(result.Variants[0].Bytes);
        Assert.Equal(VariantSize.Fit(width, height, 320), (decoded.Width, decoded.Height));
        var colours = corners.Split(' ').Select(c => c switch
        {
            "TL" => TestImages.TopLeft,
            "TR" => TestImages.TopRight,
            "BL" => TestImages.BottomLeft,
            _ => TestImages.BottomRight,
        }).ToArray();
        AssertCorners(decoded, colours[0], colours[1], colours[2], colours[3]);
    }

    [Fact]
    public void NoVariantCarriesTheOriginalsMetadata()
    {
        const string Secret = "GPS 52.3731N 4.8922E home";
        var path = Write(TestImages.JpegWithExif(1600, 1200, 1, Secret));
        Assert.Contains(Secret, Encoding.ASCII.GetString(File.ReadAllBytes(path)), StringComparison.Ordinal);

        var result = _maker.Make(path, 100_000_000, ThumbAndPreview, TestContext.Current.CancellationToken);

        Assert.All(result.Variants, v =>
        {
            var text = Encoding.ASCII.GetString(v.Bytes);
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("Exif\0\0", text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void ADecompressionBombIsRefusedFromItsHeaderBeforeDecoding()
    {
        var bomb = TestImages.BombPng(50_000, 50_000);
        Assert.True(bomb.Length < 1_000);

        var error = Assert.Throws<ProcessingRefusedException>(() =>
            _maker.Make(Write(bomb, ".png"), 100_000_000, ThumbAndPreview, TestContext.Current.CancellationToken));

        Assert.Contains("50000 x 50000", error.Message, StringComparison.Ordinal);
        Assert.Contains("100,000,000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATruncatedJpegIsRefusedAsTruncated()
    {
        var jpeg = TestImages.Jpeg(1600, 1200);

        var error = Assert.Throws<ProcessingRefusedException>(() =>
            _maker.Make(Write(jpeg[..(jpeg.Length / 2)]), 100_000_000, ThumbAndPreview, TestContext.Current.CancellationToken));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BytesThatAreNoImageAreRefused()
    {
        var error = Assert.Throws<ProcessingRefusedException>(() =>
            _maker.Make(Write([0xFF, 0xD8, 0xFF, .. Enumerable.Repeat((byte)0x42, 500)]), 100_000_000, ThumbAndPreview, TestContext.Current.CancellationToken));

        Assert.StartsWith("The file is not an image this service can decode", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4000, 3000, 320, 320, 240)]
    [InlineData(3000, 4000, 320, 320, 427)]
    [InlineData(320, 10, 320, 320, 10)]
    [InlineData(100, 100, 320, 100, 100)]
    [InlineData(10000, 1, 320, 320, 1)]
    [InlineData(8, 70000, 320, 1, 1280)]
    [InlineData(1000, 100000, 1280, 51, 5120)]
    [InlineData(320, 1280, 320, 320, 1280)]
    public void VariantSizesKeepTheAspectRatioAndNeverUpscale(int width, int height, int target, int expectedWidth, int expectedHeight) =>
        Assert.Equal((expectedWidth, expectedHeight), VariantSize.Fit(width, height, target));

    [Fact]
    public void AVeryNarrowImageBecomesVariantsOfASensibleSizeInsteadOfACopyJpegCannotEncode()
    {
        // 8 x 70,000: never downscaled by width alone, it was copied whole and then failed JPEG's 65,500 px limit.
        var result = _maker.Make(Write(TestImages.Png(8, 70_000), ".png"), 100_000_000, ThumbAndPreview, TestContext.Current.CancellationToken);

        Assert.Equal((8, 70_000), (result.Width, result.Height));
        Assert.Equal([(1, 1280), (1, 5120)], result.Variants.Select(v => (v.Width, v.Height)));
        Assert.All(result.Variants, v => Assert.Equal((v.Width, v.Height), (TestImages.Decode(v.Bytes).Width, TestImages.Decode(v.Bytes).Height)));
    }

    [Fact]
    public void TheMemoryEstimateComesFromTheHeaderAndFollowsTheDecodeScale()
    {
        // A PNG has no reduced-scale decode: 10,000 x 10,000 is 400 MB of pixels, plus the first halving.
        var png = ImageVariantMaker.EstimateBytes(Write(TestImages.BombPng(10_000, 10_000), ".png"), 100_000_000, ThumbAndPreview);
        Assert.InRange(png, 500_000_000, 520_000_000);

        // A JPEG decodes at the smallest eighth still as wide as the preview: 3/8 of 4000 x 3000.
        var jpeg = ImageVariantMaker.EstimateBytes(Write(TestImages.Jpeg(4000, 3000)), 100_000_000, ThumbAndPreview);
        Assert.Equal((4L * 1500 * 1125 * 5 / 4) + (2 * 4L * 1280 * 960) + 4_000_000, jpeg);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(byte[] bytes, string extension = ".jpg")
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + extension);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertCorners(SKBitmap bitmap, SKColor topLeft, SKColor topRight, SKColor bottomLeft, SKColor bottomRight)
    {
        int w = bitmap.Width - 1, h = bitmap.Height - 1;
        AssertClose(topLeft, bitmap.GetPixel(2, 2), "top-left");
        AssertClose(topRight, bitmap.GetPixel(w - 2, 2), "top-right");
        AssertClose(bottomLeft, bitmap.GetPixel(2, h - 2), "bottom-left");
        AssertClose(bottomRight, bitmap.GetPixel(w - 2, h - 2), "bottom-right");
    }

    private static void AssertClose(SKColor expected, SKColor actual, string where) =>
        Assert.True(
            Math.Abs(expected.Red - actual.Red) < 40 && Math.Abs(expected.Green - actual.Green) < 40 && Math.Abs(expected.Blue - actual.Blue) < 40,
            $"{where}: expected {expected}, got {actual}");
}
