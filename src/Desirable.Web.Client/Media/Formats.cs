using System.Globalization;

namespace Desirable.Web.Client.Media;

/// <summary>How sizes, durations, speeds and days read on the page.</summary>
public static class Formats
{
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.CurrentCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.CurrentCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.CurrentCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        _ => string.Create(CultureInfo.CurrentCulture, $"{bytes / (1024.0 * 1024 * 1024):0.##} GB"),
    };

    public static string Speed(double bytesPerSecond) => $"{Size((long)bytesPerSecond)}/s";

    public static string Duration(double seconds)
    {
        var time = TimeSpan.FromSeconds(Math.Round(seconds));
        return time.TotalHours >= 1 ? time.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : time.ToString(@"m\:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>JPEG for image/jpeg, MP4 for video/mp4, QuickTime for video/quicktime.</summary>
    public static string TypeName(string contentType) => contentType.ToLowerInvariant() switch
    {
        "video/quicktime" => "QuickTime",
        var type => type[(type.IndexOf('/', StringComparison.Ordinal) + 1)..].ToUpperInvariant(),
    };

    /// <summary>The heading of a day in the gallery: Today, Yesterday, or the date.</summary>
    public static string Day(DateOnly day, DateOnly today) =>
        day == today ? "Today"
        : day == today.AddDays(-1) ? "Yesterday"
        : day.Year == today.Year ? day.ToString("dddd, d MMMM", CultureInfo.CurrentCulture)
        : day.ToString("d MMMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>The owner's name from an Auth0 subject (auth0|alice: alice).</summary>
    public static string Owner(string subject) => subject[(subject.LastIndexOf('|') + 1)..];
}
