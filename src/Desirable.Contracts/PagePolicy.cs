using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Desirable.Contracts;

/// <summary>
/// The web page's content security policy, one owner for the web host (locally) and the deployment (a CloudFront
/// response headers policy). Blazor WebAssembly needs 'wasm-unsafe-eval' for its runtime and one inline script, the
/// import map the build writes into index.html; that script is allowed by its SHA-256, computed from the index.html
/// being served, so no other inline script can run.
/// </summary>
public static partial class PagePolicy
{
    /// <param name="indexHtml">The published index.html (empty when there is none).</param>
    /// <param name="issuerOrigin">The sign-in issuer, which the page calls for discovery and tokens and frames for silent renewal.</param>
    public static string For(string indexHtml, string? issuerOrigin)
    {
        ArgumentNullException.ThrowIfNull(indexHtml);
        var hashes = InlineScript().Matches(indexHtml)
            .Select(script => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script.Groups[1].Value)))}'");
        var issuer = issuerOrigin is null ? "" : $" {issuerOrigin}";
        return $"default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {string.Join(' ', hashes)}; style-src 'self'; " +
            $"img-src 'self' data: blob:; connect-src 'self'{issuer}; frame-src 'self'{issuer}; font-src 'self'; object-src 'none'; " +
            "base-uri 'self'; form-action 'self'; frame-ancestors 'self'";
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();
}
