using System.Text;
using Desirable.Contracts;
using Microsoft.Extensions.FileProviders;

namespace Desirable.Web;

/// <summary>The page's content security policy (<see cref="PagePolicy"/>), from the index.html this host serves.</summary>
public static class ContentSecurityPolicy
{
    /// <param name="environment">Where index.html is, when no published site is served.</param>
    /// <param name="siteDirectory">The published site this host serves (<see cref="PublishedSite"/>), or null.</param>
    /// <param name="issuerOrigin">The sign-in issuer, which the page calls for discovery and tokens and frames for silent renewal.</param>
    public static string For(IWebHostEnvironment environment, string? siteDirectory, string? issuerOrigin)
    {
        ArgumentNullException.ThrowIfNull(environment);
        using var published = siteDirectory is null ? null : new PhysicalFileProvider(siteDirectory);
        var index = (published ?? environment.WebRootFileProvider).GetFileInfo("index.html");
        var html = "";
        if (index.Exists)
        {
            using var reader = new StreamReader(index.CreateReadStream(), Encoding.UTF8);
            html = reader.ReadToEnd();
        }

        return PagePolicy.For(html, issuerOrigin);
    }

    public static IApplicationBuilder UseContentSecurityPolicy(this WebApplication app, string? siteDirectory)
    {
        ArgumentNullException.ThrowIfNull(app);
        var policy = For(app.Environment, siteDirectory, ClientSettings.AuthorityOrigin(app.Configuration));
        return app.Use((context, next) =>
        {
            context.Response.Headers.ContentSecurityPolicy = policy;
            return next(context);
        });
    }
}
