namespace Desirable.Contracts;

/// <summary>
/// How browsers may cache the published web client's files, one rule for the deployment (the objects' Cache-Control in
/// the site bucket) and the web host when it serves a published client: the build fingerprints every file under
/// <c>_framework/</c> (a changed file gets a new name), so those are kept for a year; everything else (index.html, its
/// settings, the stylesheet, scripts named without a fingerprint) changes in place and is revalidated on every visit.
/// </summary>
public static class SiteCaching
{
    public const string Immutable = "public, max-age=31536000, immutable";
    public const string Revalidate = "no-cache";

    /// <param name="relativePath">The file's path in the site, with forward slashes and no leading one (<c>_framework/dotnet.js</c>).</param>
    public static string CacheControlFor(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return relativePath.StartsWith("_framework/", StringComparison.Ordinal) ? Immutable : Revalidate;
    }
}
