using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Remembers who a bearer token proved to be, until the token expires (at most <see cref="MaxReuse"/>): a client
/// sends the same token for an hour, and parsing it, checking its RSA signature and building its principal on every
/// request was most of what the gateway's protections cost. Only tokens that passed full validation are kept,
/// keyed by the whole token, so a token changed in any byte is validated afresh; an expired one is never reused.
/// </summary>
public sealed class ValidatedTokens : IDisposable
{
    /// <summary>How long a validation is trusted at most: also the longest a removed signing key stays honoured.</summary>
    public static readonly TimeSpan MaxReuse = TimeSpan.FromMinutes(5);

    private const int MaxEntries = 10_000;
    private const string BearerPrefix = "Bearer ";

    private readonly MemoryCache _validated = new(new MemoryCacheOptions { SizeLimit = MaxEntries });
    private readonly TimeProvider _time;

    public ValidatedTokens(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>The principal a token proved before, as a copy of its own (later code may add claims), or null.</summary>
    public ClaimsPrincipal? Find(string token) =>
        _validated.TryGetValue(token, out Entry? entry) && entry!.Until > _time.GetUtcNow() ? Copy(entry.Principal) : null;

    /// <summary>Keeps a principal that full validation produced for <paramref name="token"/>, until <paramref name="validTo"/>.</summary>
    public void Remember(string token, ClaimsPrincipal principal, DateTime validTo)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var now = _time.GetUtcNow();
        var until = new DateTimeOffset(DateTime.SpecifyKind(validTo, DateTimeKind.Utc));
        if (until > now + MaxReuse)
        {
            until = now + MaxReuse;
        }

        if (until > now)
        {
            _validated.Set(token, new Entry(Copy(principal), until), new MemoryCacheEntryOptions { AbsoluteExpiration = until, Size = 1 });
        }
    }

    /// <summary>JwtBearer events that answer from here before validating, and remember what validation accepted.</summary>
    public JwtBearerEvents Events() => new()
    {
        OnMessageReceived = context =>
        {
            string authorization = context.Request.Headers.Authorization.ToString();
            if (authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) &&
                Find(authorization[BearerPrefix.Length..].Trim()) is { } principal)
            {
                context.Principal = principal;
                context.Success();
            }

            return Task.CompletedTask;
        },
        OnTokenValidated = context =>
        {
            if (context.SecurityToken is JsonWebToken token && context.Principal is { } principal)
            {
                Remember(token.EncodedToken, principal, token.ValidTo);
            }

            return Task.CompletedTask;
        },
    };

    public void Dispose() => _validated.Dispose();

    // ClaimsPrincipal.Clone shares its identities; a copy needs copies of them.
    private static ClaimsPrincipal Copy(ClaimsPrincipal principal) => new(principal.Identities.Select(identity => identity.Clone()));

    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset Until);
}
