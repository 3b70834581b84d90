using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Desirable.Media.Catalog;

/// <summary>
/// The opaque <c>cursor</c> of the list API: a version byte, the UTC ticks and the id of the last item seen,
/// base64url-encoded. Clients must not build cursors; anything that does not decode exactly is rejected.
/// </summary>
public static class ListCursor
{
    private const byte FormatVersion = 1;
    private const int EncodedLength = 1 + sizeof(long) + 16;

    public static string Encode(ListPosition position)
    {
        Span<byte> bytes = stackalloc byte[EncodedLength];
        bytes[0] = FormatVersion;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], position.CreatedAt.UtcTicks);
        position.Id.TryWriteBytes(bytes[9..], bigEndian: true, out _);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool TryDecode(string? cursor, [NotNullWhen(true)] out ListPosition? position)
    {
        position = null;
        // 25 bytes are 34 base64 characters without padding; anything else is not ours.
        if (cursor is not { Length: 34 } || !IsBase64Url(cursor))
        {
            return false;
        }

        var base64 = new StringBuilder(cursor, 36).Replace('-', '+').Replace('_', '/').Append("==").ToString();
        Span<byte> bytes = stackalloc byte[EncodedLength + 2];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != EncodedLength || bytes[0] != FormatVersion)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        position = new ListPosition(new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes[9..EncodedLength], bigEndian: true));
        // Only the canonical spelling is accepted, so one position has exactly one cursor.
        if (Encode(position.Value) != cursor)
        {
            position = null;
            return false;
        }

        return true;
    }

    private static bool IsBase64Url(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return false;
            }
        }

        return true;
    }
}
