using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Validates a token once, then serves the result from memory until the token expires (at most
/// <see cref="MaxReuse"/>): a client sends the same token for an hour, and parsing it and checking its RSA signature
/// on every request was most of what the gateway's protections cost. Only valid results are kept, keyed by the whole
/// token, so a token changed in any byte is validated afresh; an expired one is never served from here.
/// </summary>
public sealed class CachingJsonWebTokenHandler : JsonWebTokenHandler, IDisposable
{
    /// <summary>How long a validation is trusted at most: also the longest a removed signing key stays honoured.</summary>
    public static readonly TimeSpan MaxReuse = TimeSpan.FromMinutes(5);

    private const int MaxEntries = 10_000;

    private readonly MemoryCache _validated = new(new MemoryCacheOptions { SizeLimit = MaxEntries });
    private readonly TimeProvider _time;

    public CachingJsonWebTokenHandler(TimeProvider time)
    {
        _time = time;
        MapInboundClaims = false;
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = _time.GetUtcNow();
        if (_validated.TryGetValue(token, out Validated? known) && known!.Until > now)
        {
            // Each request gets its own identity: later code may add claims, and must not add them for everyone.
            return new TokenValidationResult
            {
                IsValid = true,
                SecurityToken = known.Result.SecurityToken,
                ClaimsIdentity = known.Result.ClaimsIdentity.Clone(),
                Issuer = known.Result.Issuer,
                TokenType = known.Result.TokenType,
            };
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { } securityToken)
        {
            var until = new DateTimeOffset(DateTime.SpecifyKind(securityToken.ValidTo, DateTimeKind.Utc));
            if (until > now + MaxReuse)
            {
                until = now + MaxReuse;
            }

            if (until > now)
            {
                _validated.Set(token, new Validated(result, until), new MemoryCacheEntryOptions { AbsoluteExpiration = until, Size = 1 });
            }
        }

        return result;
    }

    public void Dispose() => _validated.Dispose();

    private sealed record Validated(TokenValidationResult Result, DateTimeOffset Until);
}
