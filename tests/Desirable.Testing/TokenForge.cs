using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Desirable.Testing;

/// <summary>
/// Tokens an attacker would try, each wrong in exactly one way. They are made with the local issuer's real signing
/// key wherever the attack does not replace it, so nothing but the flaw under test can get them rejected; the
/// <c>valid</c> case, made the same way, must be accepted, which proves that.
/// </summary>
public static class TokenForge
{
    /// <summary>Every attack by name, and "valid" for the control. "no token" means no Authorization header at all.</summary>
    public static readonly string[] Attacks =
    [
        "no token", "alg none", "HS256 signed with the public key", "expired", "not yet valid", "wrong issuer",
        "wrong audience", "tampered payload", "unknown key id",
    ];

    public const string Valid = "valid";

    /// <summary>The bearer value for <paramref name="attack"/> against <paramref name="issuer"/>, or null for "no token".</summary>
    public static async Task<string?> ForgeAsync(LocalIssuer issuer, string attack)
    {
        var key = issuer.SigningKey();
        var now = DateTime.UtcNow;
        return attack switch
        {
            Valid => Sign(key, issuer.Authority, LocalIssuer.Audience, now.AddMinutes(-1), now.AddMinutes(10)),
            "no token" => null,
            "alg none" => Unsigned(issuer.Authority, now),
            "HS256 signed with the public key" => SignedWithPublicKey(key, issuer.Authority, now),
            "expired" => Sign(key, issuer.Authority, LocalIssuer.Audience, now.AddHours(-2), now.AddMinutes(-10)),
            "not yet valid" => Sign(key, issuer.Authority, LocalIssuer.Audience, now.AddMinutes(10), now.AddMinutes(70)),
            "wrong issuer" => Sign(key, "https://evil.example/", LocalIssuer.Audience, now.AddMinutes(-1), now.AddMinutes(10)),
            "wrong audience" => Sign(key, issuer.Authority, "https://api.other.example", now.AddMinutes(-1), now.AddMinutes(10)),
            "tampered payload" => Tamper(await issuer.TokenAsync(LocalIssuer.Vera)),
            "unknown key id" => Sign(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "not-a-key-of-the-issuer" },
                issuer.Authority, LocalIssuer.Audience, now.AddMinutes(-1), now.AddMinutes(10)),
            _ => throw new ArgumentOutOfRangeException(nameof(attack), attack, "Unknown attack."),
        };
    }

    /// <summary>
    /// A valid token of the issuer's for <paramref name="subject"/> with exactly <paramref name="permissions"/>: the
    /// seeded users all hold read:media, and the permission matrix also needs a caller without it.
    /// </summary>
    public static string WithPermissions(LocalIssuer issuer, string subject, params string[] permissions)
    {
        var now = DateTime.UtcNow;
        return Sign(issuer.SigningKey(), issuer.Authority, LocalIssuer.Audience, now.AddMinutes(-1), now.AddMinutes(10), subject, permissions);
    }

    private static readonly string[] Everything = ["read:media", "write:media", "delete:media", "admin:media"];

    private static string Sign(SecurityKey key, string issuer, string audience, DateTime notBefore, DateTime expires,
        string subject = LocalIssuer.Alice, string[]? permissions = null) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            Claims = new Dictionary<string, object> { ["permissions"] = permissions ?? Everything },
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });

    private static string Payload(string issuer, DateTime now) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["iss"] = issuer,
        ["aud"] = LocalIssuer.Audience,
        ["sub"] = LocalIssuer.Alice,
        ["permissions"] = Everything,
        ["iat"] = new DateTimeOffset(now.AddMinutes(-1)).ToUnixTimeSeconds(),
        ["nbf"] = new DateTimeOffset(now.AddMinutes(-1)).ToUnixTimeSeconds(),
        ["exp"] = new DateTimeOffset(now.AddMinutes(10)).ToUnixTimeSeconds(),
    });

    private static string Unsigned(string issuer, DateTime now) =>
        $"{Encode("""{"alg":"none","typ":"JWT"}""")}.{Encode(Payload(issuer, now))}.";

    /// <summary>The classic confusion: a verifier that let the token pick HMAC would use the public key as the secret.</summary>
    private static string SignedWithPublicKey(RsaSecurityKey key, string issuer, DateTime now)
    {
        var publicPem = key.Rsa.ExportSubjectPublicKeyInfoPem();
        var header = Encode(JsonSerializer.Serialize(new { alg = "HS256", typ = "JWT", kid = key.KeyId }));
        var signed = $"{header}.{Encode(Payload(issuer, now))}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(publicPem), Encoding.ASCII.GetBytes(signed));
        return $"{signed}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary>A genuine token of a read-only user, with the payload rewritten to grant every permission.</summary>
    private static string Tamper(string genuine)
    {
        var parts = genuine.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[1]))!;
        var rewritten = payload.ToDictionary(p => p.Key, p => (object)p.Value);
        rewritten["permissions"] = Everything;
        return $"{parts[0]}.{Encode(JsonSerializer.Serialize(rewritten))}.{parts[2]}";
    }

    private static string Encode(string json) => Base64UrlEncoder.Encode(json);
}
