using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Desirable.Web;

/// <summary>
/// The page's content security policy. Blazor WebAssembly needs 'wasm-unsafe-eval' for its runtime and one inline
/// script, the import map the build writes into index.html; that script is allowed by its SHA-256 (computed from
/// the index.html being served), so no other inline script can run.
/// </summary>
public static partial class ContentSecurityPolicy
{
    /// <param name="environment">Where index.html is.</param>
    /// <param name="issuerOrigin">The sign-in issuer, which the page calls for discovery and tokens and frames for silent renewal.</param>
    public static string For(IWebHostEnvironment environment, string? issuerOrigin)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var index = environment.WebRootFileProvider.GetFileInfo("index.html");
        var hashes = new List<string>();
        if (index.Exists)
        {
            using var reader = new StreamReader(index.CreateReadStream(), Encoding.UTF8);
            foreach (Match script in InlineScript().Matches(reader.ReadToEnd()))
            {
                hashes.Add($"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script.Groups[1].Value)))}'");
            }
        }

        var issuer = issuerOrigin is null ? "" : $" {issuerOrigin}";
        return $"default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {string.Join(' ', hashes)}; style-src 'self'; " +
            $"img-src 'self' data: blob:; connect-src 'self'{issuer}; frame-src 'self'{issuer}; font-src 'self'; object-src 'none'; " +
            "base-uri 'self'; form-action 'self'; frame-ancestors 'self'";
    }

    public static IApplicationBuilder UseContentSecurityPolicy(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var policy = For(app.Environment, ClientSettings.AuthorityOrigin(app.Configuration));
        return app.Use((context, next) =>
        {
            context.Response.Headers.ContentSecurityPolicy = policy;
            return next(context);
        });
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();
}
