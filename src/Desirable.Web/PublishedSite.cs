using System.Globalization;
using Desirable.Contracts;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Desirable.Web;

/// <summary>
/// Serves a published client (the <c>wwwroot</c> of <c>dotnet publish src/Desirable.Web.Client -c Release</c>, the files a
/// deployment writes to the site bucket) the way the Web stack's CloudFront distribution does: compressed for browsers
/// that accept it (from the publish's own Brotli and gzip copies, where CloudFront compresses as it serves), cached as
/// <see cref="SiteCaching"/> says with entity tags to revalidate against, and index.html for the client's own routes.
/// Set <c>Web:SiteDirectory</c> to use it; without it the host serves the client's build as static web assets. It is how
/// the client benchmark measures what a visitor of a stage downloads.
/// </summary>
public static class PublishedSite
{
    public const string DirectoryKey = "Web:SiteDirectory";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>The published site's folder, when this host serves one; null when it serves the build.</summary>
    public static string? Directory(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var directory = configuration[DirectoryKey];
        if (string.IsNullOrWhiteSpace(directory))
        {
            return null;
        }

        var root = Path.GetFullPath(directory);
        return File.Exists(Path.Combine(root, "index.html"))
            ? root
            : throw new InvalidOperationException(
                $"{DirectoryKey} is '{directory}', which holds no index.html. Give it the wwwroot folder of a published client " +
                "(dotnet publish src/Desirable.Web.Client -c Release -o <folder>, then <folder>/wwwroot).");
    }

    public static IEndpointRouteBuilder MapPublishedSite(this IEndpointRouteBuilder app, string root)
    {
        ArgumentNullException.ThrowIfNull(app);
        // A catch-all has the lowest precedence: the settings and health endpoints still answer for themselves.
        app.MapMethods("/{**path}", [HttpMethods.Get, HttpMethods.Head], (string? path, HttpContext context) => Serve(root, path ?? "", context))
            .ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(string root, string path, HttpContext context)
    {
        // As the distribution's viewer-request function: a last segment without a dot is one of the client's routes.
        var last = path[(path.LastIndexOf('/') + 1)..];
        var relative = path.Length == 0 || !last.Contains('.', StringComparison.Ordinal) ? "index.html" : path;
        var file = Path.GetFullPath(Path.Combine(root, relative));
        // Kestrel removes dot segments and routing leaves %2F encoded, so no request names a file outside; kept anyway.
        if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
        {
            return TypedResults.NotFound();
        }

        var (served, encoding) = Encoded(file, context.Request.Headers.AcceptEncoding.ToString());
        var headers = context.Response.Headers;
        headers.CacheControl = SiteCaching.CacheControlFor(relative);
        headers.Vary = HeaderNames.AcceptEncoding;
        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }

        var info = new FileInfo(served);
        var tag = new EntityTagHeaderValue(string.Create(CultureInfo.InvariantCulture,
            $"\"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}{(encoding is null ? "" : "-" + encoding)}\""));
        var contentType = ContentTypes.TryGetContentType(file, out var type) ? type : "application/octet-stream";
        return TypedResults.PhysicalFile(served, contentType, lastModified: info.LastWriteTimeUtc, entityTag: tag);
    }

    /// <summary>The publish's Brotli or gzip copy when the browser takes it (Brotli first, as CloudFront prefers it).</summary>
    private static (string File, string? Encoding) Encoded(string file, string acceptEncoding)
    {
        foreach (var (encoding, suffix) in new[] { ("br", ".br"), ("gzip", ".gz") })
        {
            if (Accepts(acceptEncoding, encoding) && File.Exists(file + suffix))
            {
                return (file + suffix, encoding);
            }
        }

        return (file, null);
    }

    private static bool Accepts(string acceptEncoding, string encoding) =>
        acceptEncoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(v => StringWithQualityHeaderValue.TryParse(v, out var value)
                && string.Equals(value.Value.Value, encoding, StringComparison.OrdinalIgnoreCase) && value.Quality is not 0);
}
