using System.Buffers.Binary;
using System.IO.Compression;

namespace Desirable.Hosting.Samples;

/// <summary>
/// Landscapes drawn in code (a sky, a sun, two ridges of hills, the ground), encoded as PNG: sample media that is
/// generated rather than committed, different for every seed and pleasant enough to look at in the gallery.
/// </summary>
public static class SampleImages
{
    /// <summary>A PNG of <paramref name="width"/> x <paramref name="height"/>, the same for the same seed.</summary>
    public static byte[] Landscape(int width, int height, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var random = new Random(seed);
        // Skies of a real day (dawn, noon, dusk, night), hills tinted by the air, the near ground green or sand.
        var (skyHue, glowHue) = Skies[random.Next(Skies.Length)];
        var groundHue = random.Next(3) == 0 ? 0.1 : 0.25 + (0.1 * random.NextDouble());
        var skyTop = Hsv(skyHue, 0.6, 0.55);
        var skyLow = Hsv(glowHue, 0.45, 0.98);
        var sun = Hsv(glowHue, 0.25, 1.0);
        var far = Hsv(skyHue, 0.3, 0.55);
        var near = Hsv(groundHue, 0.55, 0.35);
        var (sunX, sunY, sunRadius) = (width * (0.2 + 0.6 * random.NextDouble()), height * (0.2 + 0.2 * random.NextDouble()), Math.Min(width, height) * 0.08);
        var (farPhase, nearPhase) = (random.NextDouble() * 6.28, random.NextDouble() * 6.28);
        var horizon = height * 0.62;

        // One filter byte (none) per row, then RGB.
        var stride = 1 + (3 * width);
        var raw = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var row = raw.AsSpan(y * stride, stride);
            for (var x = 0; x < width; x++)
            {
                var farRidge = horizon - (height * 0.12 * (0.6 + (0.4 * Math.Sin((x * 4.0 / width) + farPhase))));
                var nearRidge = horizon + (height * 0.05 * Math.Sin((x * 7.0 / width) + nearPhase));
                var distance = Math.Sqrt(((x - sunX) * (x - sunX)) + ((y - sunY) * (y - sunY)));
                var color = y > nearRidge ? Mix(near, (0, 0, 0), (y - nearRidge) / (height - nearRidge) * 0.6)
                    : y > farRidge ? Mix(far, near, (y - farRidge) / Math.Max(1, nearRidge - farRidge) * 0.5)
                    : distance < sunRadius ? sun
                    : Mix(Mix(skyTop, skyLow, y / horizon), sun, Math.Max(0, 1 - (distance / (sunRadius * 4))) * 0.5);
                row[1 + (3 * x)] = color.R;
                row[2 + (3 * x)] = color.G;
                row[3 + (3 * x)] = color.B;
            }
        }

        return Png(width, height, raw);
    }

    private static readonly (double Sky, double Glow)[] Skies = [(0.62, 0.08), (0.58, 0.55), (0.72, 0.02), (0.66, 0.12), (0.6, 0.15)];

    private static byte[] Png(int width, int height, byte[] filteredRows)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per channel
        header[9] = 2; // RGB
        Chunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write(filteredRows);
            }

            Chunk(png, "IDAT", compressed.ToArray());
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeBytes, data));
        png.Write(number);
    }

    private static readonly uint[] CrcTable = [.. Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }

        return c;
    })];

    private static uint Crc32(byte[] type, byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in type.Concat(data))
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static (byte R, byte G, byte B) Mix((byte R, byte G, byte B) a, (byte R, byte G, byte B) b, double t)
    {
        t = Math.Clamp(t, 0, 1);
        return ((byte)(a.R + ((b.R - a.R) * t)), (byte)(a.G + ((b.G - a.G) * t)), (byte)(a.B + ((b.B - a.B) * t)));
    }

    private static (byte R, byte G, byte B) Hsv(double hue, double saturation, double value)
    {
        hue = (hue % 1 + 1) % 1 * 6;
        var sector = (int)hue;
        var f = hue - sector;
        var (p, q, t) = (value * (1 - saturation), value * (1 - (saturation * f)), value * (1 - (saturation * (1 - f))));
        var (r, g, b) = sector switch
        {
            0 => (value, t, p),
            1 => (q, value, p),
            2 => (p, value, t),
            3 => (p, q, value),
            4 => (t, p, value),
            _ => (value, p, q),
        };
        return ((byte)(r * 255), (byte)(g * 255), (byte)(b * 255));
    }
}
