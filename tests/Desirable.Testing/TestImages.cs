using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace Desirable.Testing;

/// <summary>Images drawn in the tests (nothing binary is committed): quadrant pictures, EXIF, bombs, broken files.</summary>
public static class TestImages
{
    public static readonly SKColor TopLeft = SKColors.Red;
    public static readonly SKColor TopRight = SKColors.Lime;
    public static readonly SKColor BottomLeft = SKColors.Blue;
    public static readonly SKColor BottomRight = SKColors.White;

    /// <summary>Four coloured quadrants, so orientation can be read back from the corners.</summary>
    public static SKBitmap Quadrants(int width, int height, bool transparent = false)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKImageInfo.PlatformColorType, transparent ? SKAlphaType.Premul : SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(transparent ? SKColors.Transparent : SKColors.Black);
        using var paint = new SKPaint();
        void Fill(SKColor color, float x, float y)
        {
            paint.Color = transparent ? color.WithAlpha(128) : color;
            canvas.DrawRect(x, y, width / 2f, height / 2f, paint);
        }

        Fill(TopLeft, 0, 0);
        Fill(TopRight, width / 2f, 0);
        Fill(BottomLeft, 0, height / 2f);
        Fill(BottomRight, width / 2f, height / 2f);
        return bitmap;
    }

    public static byte[] Jpeg(int width, int height, int quality = 90)
    {
        using var bitmap = Quadrants(width, height);
        return Encode(bitmap, SKEncodedImageFormat.Jpeg, quality);
    }

    public static byte[] Png(int width, int height, bool transparent = false)
    {
        using var bitmap = Quadrants(width, height, transparent);
        return Encode(bitmap, SKEncodedImageFormat.Png, 100);
    }

    /// <summary>
    /// A JPEG with an EXIF block: an orientation and an ImageDescription standing in for location data, so a test can
    /// prove the variants carry neither.
    /// </summary>
    public static byte[] JpegWithExif(int width, int height, ushort orientation, string description)
    {
        var jpeg = Jpeg(width, height);
        var text = Encoding.ASCII.GetBytes(description + "\0");

        // TIFF, big-endian: header (8), IFD with 2 entries (2 + 2*12 + 4), then the description's bytes.
        var tiff = new byte[8 + 2 + 24 + 4 + text.Length];
        "MM\0*"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(8), 2);
        WriteEntry(tiff.AsSpan(10), tag: 0x010E, type: 2, count: (uint)text.Length, value: 8 + 2 + 24 + 4);
        WriteEntry(tiff.AsSpan(22), tag: 0x0112, type: 3, count: 1, value: (uint)orientation << 16);
        text.CopyTo(tiff.AsSpan(38));

        var app1 = new byte[4 + 6 + tiff.Length];
        app1[0] = 0xFF;
        app1[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(app1.AsSpan(2), (ushort)(app1.Length - 2));
        "Exif\0\0"u8.CopyTo(app1.AsSpan(4));
        tiff.CopyTo(app1.AsSpan(10));

        // Right after SOI, where cameras put it.
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }

    /// <summary>A valid PNG header that declares <paramref name="width"/> x <paramref name="height"/> pixels over a few bytes of data.</summary>
    public static byte[] BombPng(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;   // bit depth
        header[9] = 2;   // RGB
        WriteChunk(output, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                zlib.Write(new byte[(width * 3) + 1]);
            }

            WriteChunk(output, "IDAT", compressed.ToArray());
        }

        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>
    /// <paramref name="png"/> with a compressed text chunk (zTXt) after its header whose text inflates to
    /// <paramref name="inflatedBytes"/>: a few kilobytes that a careless reader would expand in memory.
    /// </summary>
    public static byte[] PngWithTextBomb(byte[] png, int inflatedBytes)
    {
        ArgumentNullException.ThrowIfNull(png);
        using var compressed = new MemoryStream();
        compressed.Write("Comment\0"u8);
        compressed.WriteByte(0); // compression method: deflate
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (var left = inflatedBytes; left > 0; left -= zeros.Length)
            {
                zlib.Write(zeros, 0, Math.Min(left, zeros.Length));
            }
        }

        // Signature (8) and IHDR (25) first, then the text chunk, then the rest.
        using var output = new MemoryStream();
        output.Write(png, 0, 33);
        WriteChunk(output, "zTXt", compressed.ToArray());
        output.Write(png, 33, png.Length - 33);
        return output.ToArray();
    }

    /// <summary>
    /// An animated GIF: a logical screen of <paramref name="width"/> x <paramref name="height"/> and
    /// <paramref name="frames"/> one-pixel frames, a few bytes each (a small file that claims a lot).
    /// </summary>
    public static byte[] AnimatedGif(int width, int height, int frames)
    {
        using var output = new MemoryStream();
        output.Write("GIF89a"u8);
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(size, checked((ushort)width));
        BinaryPrimitives.WriteUInt16LittleEndian(size[2..], checked((ushort)height));
        output.Write(size);
        output.Write([0x80, 0, 0, 0xFF, 0xFF, 0xFF, 0, 0, 0]); // a global table of two colours
        output.Write([0x21, 0xFF, 0x0B, .. "NETSCAPE2.0"u8, 0x03, 0x01, 0x00, 0x00, 0x00]); // loop for ever
        for (var i = 0; i < frames; i++)
        {
            output.Write([0x21, 0xF9, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00]); // 10 ms per frame
            output.Write([0x2C, 0, 0, 0, 0, 0x01, 0x00, 0x01, 0x00, 0x00]); // a 1x1 frame at the origin
            output.Write([0x02, 0x02, 0x44, 0x01, 0x00]); // its one pixel, LZW-coded
        }

        output.WriteByte(0x3B);
        return output.ToArray();
    }

    public static SKBitmap Decode(byte[] bytes) =>
        SKBitmap.Decode(bytes) ?? throw new InvalidOperationException("The bytes are not an image Skia decodes.");

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }

    private static void WriteEntry(Span<byte> entry, ushort tag, ushort type, uint count, uint value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(entry, tag);
        BinaryPrimitives.WriteUInt16BigEndian(entry[2..], type);
        BinaryPrimitives.WriteUInt32BigEndian(entry[4..], count);
        BinaryPrimitives.WriteUInt32BigEndian(entry[8..], value);
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(length, Crc32([.. typeBytes, .. data]));
        output.Write(length);
    }

    /// <summary>The PNG chunk checksum (ISO 3309 CRC-32).</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
