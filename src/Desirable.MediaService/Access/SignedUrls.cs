using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Desirable.Contracts;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Desirable.MediaService.Access;

/// <summary>
/// Signs and checks URLs of one item's bytes (<c>content</c>) or one of its variants: an HMAC-SHA256 over the item, the
/// target and the expiry, so a signature opens nothing else and nothing after its time. A deleted item answers 404 to
/// its old URLs like to any request.
/// </summary>
public sealed class SignedUrls
{
    /// <summary>The target of a signature for the original bytes; a variant's is its name.</summary>
    public const string ContentTarget = "content";

    /// <summary>What a request that carried a valid signature is marked with (HttpContext.Items).</summary>
    internal const string VerifiedItem = "desirable.signed-url";

    private readonly byte[] _key;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    public SignedUrls(IOptions<SignedUrlOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Without a secret (Development only: the options refuse that elsewhere) a key of this process's own.
        var secret = options.Value.Secret;
        _key = string.IsNullOrEmpty(secret) ? RandomNumberGenerator.GetBytes(32) : Encoding.UTF8.GetBytes(secret);
        _lifetime = options.Value.Lifetime;
        _time = time;
    }

    /// <summary>When URLs handed out now stop working: the same for a half-lifetime window, so the URL stays cacheable.</summary>
    public DateTimeOffset ExpiryForNow()
    {
        var step = (long)_lifetime.TotalSeconds / 2;
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        return DateTimeOffset.FromUnixTimeSeconds((now / step + 2) * step);
    }

    /// <summary><paramref name="path"/> with the expiry and signature for <paramref name="id"/>'s <paramref name="target"/>.</summary>
    public string Sign(string path, Guid id, string target, DateTimeOffset expires)
    {
        var seconds = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{path}?{SignedUrlQuery.Expires}={seconds}&{SignedUrlQuery.Signature}={Signature(id, target, seconds)}";
    }

    /// <summary>Whether the request's expiry and signature open <paramref name="id"/>'s <paramref name="target"/> now.</summary>
    public bool IsValid(Guid id, string target, string? expires, string? signature)
    {
        if (expires is null || signature is null ||
            !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ||
            seconds < _time.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Signature(id, target, expires));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    private string Signature(Guid id, string target, string expires) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{id:D}\n{target}\n{expires}")));
}
