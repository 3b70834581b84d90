using System.IO.Compression;
using System.Net;
using System.Text;
using Desirable.Contracts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Desirable.Web.Tests;

/// <summary>
/// The web host serving a published client (Web:SiteDirectory) as the Web stack's CloudFront does: the publish's
/// Brotli or gzip copy to a browser that accepts it, fingerprinted framework files kept for a year, the page revalidated
/// against its entity tag, index.html for the client's routes and a 404 for a missing file. The host runs in-process
/// on a real folder laid out as <c>dotnet publish</c> lays it out, with real Brotli and gzip copies.
/// </summary>
public sealed class PublishedSiteTests : IDisposable
{
    private const string Page = """
        <!DOCTYPE html><html><head><script type="importmap">{ "imports": { "./_framework/dotnet.js": "./_framework/dotnet.x1y2z3.js" } }</script></head>
        <body><script src="_framework/blazor.webassembly.w3qd1tpl0e.js"></script></body></html>
        """;

    private static readonly byte[] Boot = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("export function start() { return 'boot'; }\n", 200)));

    private readonly DirectoryInfo _site = Directory.CreateTempSubdirectory("desirable-published-site-");

    public PublishedSiteTests()
    {
        File.WriteAllText(Path.Combine(_site.FullName, "index.html"), Page);
        _site.CreateSubdirectory("_framework");
        _site.CreateSubdirectory("css");
        var boot = Path.Combine(_site.FullName, "_framework", "blazor.webassembly.w3qd1tpl0e.js");
        File.WriteAllBytes(boot, Boot);
        File.WriteAllBytes(boot + ".br", Compress(Boot, s => new BrotliStream(s, CompressionLevel.SmallestSize)));
        File.WriteAllBytes(boot + ".gz", Compress(Boot, s => new GZipStream(s, CompressionLevel.SmallestSize)));
        File.WriteAllBytes(Path.Combine(_site.FullName, "_framework", "Desirable.Web.Client.4nfaqy1s1u.wasm"), [0, 97, 115, 109, 1, 0, 0, 0]);
        File.WriteAllText(Path.Combine(_site.FullName, "css", "app.css"), "body { margin: 0; }");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFrameworkFileGoesBrotliCompressedToABrowserAndIsKeptForAYear()
    {
        using var host = Host(_site.FullName);
        using var client = host.CreateClient();

        using var response = await client.SendAsync(Get("/_framework/blazor.webassembly.w3qd1tpl0e.js", "gzip, deflate, br, zstd"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(SiteCaching.Immutable, response.Headers.CacheControl?.ToString());
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal(Boot, Decompress(await response.Content.ReadAsByteArrayAsync(Ct), s => new BrotliStream(s, CompressionMode.Decompress)));
    }

    [Fact]
    public async Task EachBrowserGetsAnEncodingItTakesAndAnEntityTagOfThatEncoding()
    {
        using var host = Host(_site.FullName);
        using var client = host.CreateClient();
        const string Path = "/_framework/blazor.webassembly.w3qd1tpl0e.js";

        using var gzip = await client.SendAsync(Get(Path, "gzip"), Ct);
        using var plain = await client.SendAsync(Get(Path, null), Ct);
        using var refused = await client.SendAsync(Get(Path, "br;q=0, identity"), Ct);
        using var brotli = await client.SendAsync(Get(Path, "br"), Ct);

        Assert.Equal(["gzip"], gzip.Content.Headers.ContentEncoding);
        Assert.Equal(Boot, Decompress(await gzip.Content.ReadAsByteArrayAsync(Ct), s => new GZipStream(s, CompressionMode.Decompress)));
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(Boot, await plain.Content.ReadAsByteArrayAsync(Ct));
        Assert.Empty(refused.Content.Headers.ContentEncoding);
        Assert.Equal(plain.Headers.ETag, refused.Headers.ETag);
        Assert.Equal(3, new[] { gzip, plain, brotli }.Select(r => r.Headers.ETag?.Tag).Distinct().Count());
    }

    [Fact]
    public async Task ThePageIsRevalidatedOnEveryVisitAndAnUnchangedOneIsA304()
    {
        using var host = Host(_site.FullName);
        using var client = host.CreateClient();

        using var first = await client.GetAsync("/", Ct);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var revalidated = await client.SendAsync(again, Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/html", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(SiteCaching.Revalidate, first.Headers.CacheControl?.ToString());
        Assert.Equal(Page, await first.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task TheClientsRoutesGetThePageAndMissingOrOutsideFilesA404()
    {
        using var host = Host(_site.FullName);
        using var client = host.CreateClient();
        File.WriteAllText(Path.Combine(_site.Parent!.FullName, "outside-the-site.txt"), "secret");

        using var route = await client.GetAsync("/authentication/login-callback", Ct);
        using var missing = await client.GetAsync("/_framework/missing.7a8b9c.js", Ct);
        using var outside = await client.GetAsync("/..%2Foutside-the-site.txt", Ct);
        using var outsideToo = await client.GetAsync("/css/..%2F..%2Foutside-the-site.txt", Ct);
        using var outsideThree = await client.GetAsync("/%2E%2E/outside-the-site.txt", Ct);
        using var css = await client.GetAsync("/css/app.css", Ct);

        Assert.Equal(Page, await route.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, outsideToo.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, outsideThree.StatusCode);
        Assert.Equal(SiteCaching.Revalidate, css.Headers.CacheControl?.ToString());
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ThePolicyAllowsThePublishedPagesImportMapAndTheHostsOwnEndpointsStillAnswer()
    {
        using var host = Host(_site.FullName, ("Identity:Authority", "https://desirable.eu.auth0.com/"));
        using var client = host.CreateClient();

        using var page = await client.GetAsync("/", Ct);
        using var settings = await client.GetAsync(ClientSettings.Path, Ct);
        using var health = await client.GetAsync(HealthPaths.Health, Ct);

        Assert.Equal(PagePolicy.For(Page, "https://desirable.eu.auth0.com"), Assert.Single(page.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("application/json", settings.Content.Headers.ContentType?.MediaType);
        // The same document the deployment writes to the site bucket (WebClientSettings), which the page's start script reads.
        Assert.Equal(WebClientSettings.Json("https://desirable.eu.auth0.com/", null, null), await settings.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public void AFolderWithoutAPublishedPageStopsTheHostWithAPlainReason()
    {
        var empty = _site.CreateSubdirectory("not-a-site");
        using var host = Host(empty.FullName);

        var failure = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        Assert.Contains("holds no index.html", failure.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet publish src/Desirable.Web.Client", failure.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _site.Delete(recursive: true);

    private static WebApplicationFactory<Program> Host(string site, params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting(PublishedSite.DirectoryKey, site);
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }
        });

    private static HttpRequestMessage Get(string path, string? acceptEncoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        return request;
    }

    private static byte[] Compress(byte[] bytes, Func<Stream, Stream> compressor)
    {
        var output = new MemoryStream();
        using (var stream = compressor(output))
        {
            stream.Write(bytes);
        }

        return output.ToArray();
    }

    private static byte[] Decompress(byte[] bytes, Func<Stream, Stream> decompressor)
    {
        using var stream = decompressor(new MemoryStream(bytes));
        var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }
}
