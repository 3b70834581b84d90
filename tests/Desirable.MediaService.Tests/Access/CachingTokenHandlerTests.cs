using Desirable.MediaService.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Desirable.MediaService.Tests.Access;

/// <summary>Reusing a validation must never outlive the token, nor share one identity between requests.</summary>
public sealed class CachingTokenHandlerTests
{
    [Fact]
    public async Task AValidationIsReusedUntilTheTokenExpiresAndEachCallerGetsItsOwnIdentity()
    {
        var issuer = await LocalIssuer.GetAsync();
        var token = await issuer.TokenAsync(LocalIssuer.Alice);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var handler = new CachingJsonWebTokenHandler(clock);
        var accepting = Parameters(issuer, LocalIssuer.Audience);
        // Would refuse the token: only a reused validation can still accept it.
        var refusing = Parameters(issuer, "https://api.other.example");

        var first = await handler.ValidateTokenAsync(token, accepting);
        var reused = await handler.ValidateTokenAsync(token, refusing);
        clock.Now = clock.Now + CachingJsonWebTokenHandler.MaxReuse + TimeSpan.FromSeconds(1);
        var afterReuse = await handler.ValidateTokenAsync(token, refusing);

        Assert.True(first.IsValid);
        Assert.True(reused.IsValid);
        Assert.NotSame(first.ClaimsIdentity, reused.ClaimsIdentity);
        Assert.Equal(LocalIssuer.Alice, reused.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.False(afterReuse.IsValid);
    }

    [Fact]
    public async Task AnInvalidTokenIsNeverRemembered()
    {
        var issuer = await LocalIssuer.GetAsync();
        var token = await issuer.TokenAsync(LocalIssuer.Alice);
        using var handler = new CachingJsonWebTokenHandler(TimeProvider.System);

        var refused = await handler.ValidateTokenAsync(token, Parameters(issuer, "https://api.other.example"));
        // Had the refusal been kept, it would come back here instead of a fresh, successful validation.
        var validatedAfresh = await handler.ValidateTokenAsync(token, Parameters(issuer, LocalIssuer.Audience));

        Assert.False(refused.IsValid);
        Assert.True(validatedAfresh.IsValid);
    }

    private static TokenValidationParameters Parameters(LocalIssuer issuer, string audience) => new()
    {
        ValidIssuer = issuer.Authority,
        ValidAudience = audience,
        IssuerSigningKey = issuer.SigningKey(),
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
    };

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
