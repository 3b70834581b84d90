using Desirable.Media.Catalog;

namespace Desirable.Media.Tests.Catalog;

public class ListCursorTests
{
    [Fact]
    public void RoundTripsAPosition()
    {
        var position = new ListPosition(new DateTimeOffset(2026, 11, 26, 1, 2, 3, TimeSpan.Zero).AddTicks(4567), Guid.CreateVersion7());

        var cursor = ListCursor.Encode(position);

        Assert.True(ListCursor.TryDecode(cursor, out var decoded));
        Assert.Equal(position, decoded);
        Assert.Matches("^[A-Za-z0-9_-]+$", cursor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("zzz")]
    [InlineData("not a cursor at all, clearly not!!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("////////////////////////////////++")]
    [InlineData("eyJjcmVhdGVkIjoiMjAyNi0xMS0yNiJ9")]
    public void RejectsAnythingItDidNotProduce(string cursor)
    {
        Assert.False(ListCursor.TryDecode(cursor, out var position));
        Assert.Null(position);
    }

    [Fact]
    public void RejectsATamperedVersionByte()
    {
        var cursor = ListCursor.Encode(new ListPosition(DateTimeOffset.UnixEpoch, Guid.Empty));
        var tampered = "B" + cursor[1..];

        Assert.False(ListCursor.TryDecode(tampered, out _));
    }

    [Fact]
    public void RejectsANonCanonicalSpelling()
    {
        var cursor = ListCursor.Encode(new ListPosition(DateTimeOffset.UnixEpoch, Guid.CreateVersion7()));
        // The last character carries 2 padding bits; a different character with the same 4 data bits decodes
        // to the same bytes, so it must still be refused.
        var last = cursor[^1];
        var twin = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".IndexOf(last, StringComparison.Ordinal) ^ 1)];

        Assert.False(ListCursor.TryDecode(cursor[..^1] + twin, out _));
    }
}
