using Desirable.MediaService.Uploads;

namespace Desirable.MediaService.Tests.Uploads;

public class DisplayNameTests
{
    [Theory]
    [InlineData("holiday.jpg", "holiday.jpg")]
    [InlineData("C:\\Users\\ann\\Pictures\\holiday.jpg", "holiday.jpg")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("  spaced  out.png  ", "spaced  out.png")]
    [InlineData("tab\there.gif", "tab here.gif")]
    [InlineData("new\r\nline.jpg", "newline.jpg")]
    [InlineData("evil\u202Egnp.exe", "evilgnp.exe")]
    [InlineData("zero\u200Bwidth.jpg", "zerowidth.jpg")]
    [InlineData("...", DisplayName.Fallback)]
    [InlineData("", DisplayName.Fallback)]
    [InlineData(null, DisplayName.Fallback)]
    [InlineData("/", DisplayName.Fallback)]
    [InlineData("e\u0301te\u0301.jpg", "\u00e9t\u00e9.jpg")]
    [InlineData("日本語の写真.jpg", "日本語の写真.jpg")]
    public void KeepsOnlyAReadableName(string? input, string expected)
    {
        Assert.Equal(expected, DisplayName.Sanitize(input));
    }

    [Fact]
    public void BoundsTheLengthWithoutSplittingACharacter()
    {
        var name = new string('a', DisplayName.MaxLength - 1) + "😀😀.jpg";

        var sanitized = DisplayName.Sanitize(name);

        Assert.True(sanitized.Length <= DisplayName.MaxLength);
        Assert.False(char.IsHighSurrogate(sanitized[^1]));
    }
}
