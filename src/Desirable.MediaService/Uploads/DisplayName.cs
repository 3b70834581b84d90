using System.Globalization;
using System.Text;

namespace Desirable.MediaService.Uploads;

/// <summary>
/// Turns a client-supplied file name into display metadata: no path, no control or invisible formatting
/// characters (bidi overrides), normalised, trimmed and bounded. It is never used as a storage key.
/// </summary>
public static class DisplayName
{
    public const int MaxLength = 200;
    public const string Fallback = "untitled";

    public static string Sanitize(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return Fallback;
        }

        // Browsers on Windows send "C:\path\name.jpg"; only the last segment is a name.
        var lastSeparator = fileName.LastIndexOfAny(['/', '\\']);
        var name = fileName[(lastSeparator + 1)..].Normalize(NormalizationForm.FormC);

        var builder = new StringBuilder(Math.Min(name.Length, MaxLength));
        foreach (var original in name.EnumerateRunes())
        {
            // A tab separates words; line breaks and other controls only break layouts and logs.
            var rune = original.Value == '\t' ? new Rune(' ') : original;
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                continue;
            }

            if (builder.Length + rune.Utf16SequenceLength > MaxLength)
            {
                break;
            }

            builder.Append(Rune.IsWhiteSpace(rune) ? " " : rune.ToString());
        }

        var cleaned = builder.ToString().Trim().Trim('.').Trim();
        return cleaned.Length == 0 ? Fallback : cleaned;
    }
}
