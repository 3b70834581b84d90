using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Remembers who a bearer token proved to be, until the token expires (at most <see cref="MaxReuse"/>): a client
/// sends the same token for an hour, and parsing it, checking its RSA signature and building its principal on every
/// request was most of what the gateway's protections cost. Only tokens that passed full validation are kept,
/// keyed by the whole token, so a token changed in any byte is validated afresh; an expired one is never reused.
/// Every request with the same token gets the same principal, frozen: adding or removing claims or identities throws,
/// so one request cannot change what the next one sees (copying it per request was a fifth of what the reuse cost).
/// At most <c>capacity</c> tokens are kept: when full, expired ones make room, and a new token that still does not
/// fit is simply validated every time (so a flood of distinct valid tokens cannot grow the memory).
/// </summary>
public sealed class ValidatedTokens
{
    /// <summary>How long a validation is trusted at most: also the longest a removed signing key stays honoured.</summary>
    public static readonly TimeSpan MaxReuse = TimeSpan.FromMinutes(5);

    public const int DefaultCapacity = 10_000;

    // A full store is swept for expired tokens at most this often: every miss scanning 10,000 entries would add that
    // scan to each new token's validation.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Entry> _validated = new(StringComparer.Ordinal);

    // Looked up by the header's span: copying a kilobyte-long token into a string on every request cost more than the lookup.
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private long _nextSweepTicks;

    public ValidatedTokens(TimeProvider time, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _time = time;
        _capacity = capacity;
        _bySpan = _validated.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>How many validations are kept now.</summary>
    public int Count => _validated.Count;

    /// <summary>The principal a token proved before (frozen, shared by every request with this token), or null.</summary>
    public ClaimsPrincipal? Find(ReadOnlySpan<char> token)
    {
        if (!_bySpan.TryGetValue(token, out var entry))
        {
            return null;
        }

        if (entry.Until > _time.GetUtcNow())
        {
            return entry.Principal;
        }

        _bySpan.TryRemove(token, out _);
        return null;
    }

    /// <summary>Keeps a principal that full validation produced for <paramref name="token"/>, until <paramref name="validTo"/>.</summary>
    public void Remember(string token, ClaimsPrincipal principal, DateTime validTo)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(principal);
        var now = _time.GetUtcNow();
        var until = new DateTimeOffset(DateTime.SpecifyKind(validTo, DateTimeKind.Utc));
        if (until > now + MaxReuse)
        {
            until = now + MaxReuse;
        }

        if (until <= now)
        {
            return;
        }

        if (_validated.Count >= _capacity)
        {
            RemoveExpired(now);
            if (_validated.Count >= _capacity)
            {
                return;
            }
        }

        _validated[token] = new Entry(FrozenPrincipal.Of(principal), until);
    }

    /// <summary>JwtBearer events that remember what full validation accepted (looked up by <c>UseJwtBearerAuthentication</c>).</summary>
    public JwtBearerEvents Events() => new()
    {
        OnTokenValidated = context =>
        {
            if (context.SecurityToken is JsonWebToken token && context.Principal is { } principal)
            {
                Remember(token.EncodedToken, principal, token.ValidTo);
            }

            return Task.CompletedTask;
        },
    };

    private void RemoveExpired(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var (token, entry) in _validated)
        {
            if (entry.Until <= now)
            {
                _validated.TryRemove(new KeyValuePair<string, Entry>(token, entry));
            }
        }
    }

    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset Until);
}
