using System.Security.Claims;
using Microsoft.Extensions.Hosting;

namespace Desirable.ServiceDefaults.Tests;

/// <summary>Reusing a validation must never outlive the token, match another token, or let one request change what the next sees.</summary>
public sealed class ValidatedTokensTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AValidatedTokenIsRecognisedUntilTheReuseLimit()
    {
        var clock = new ManualClock(Start);
        var validated = new ValidatedTokens(clock);
        var principal = Principal("auth0|alice");
        validated.Remember("header.payload.signature", principal, Start.AddHours(1).UtcDateTime);

        var first = validated.Find("header.payload.signature");
        var second = validated.Find("header.payload.signature");
        var changedInOneByte = validated.Find("header.payload.signaturf");
        clock.Now = Start + ValidatedTokens.MaxReuse + TimeSpan.FromSeconds(1);
        var afterReuseLimit = validated.Find("header.payload.signature");

        Assert.Equal("auth0|alice", first?.FindFirstValue("sub"));
        Assert.Same(first, second);
        Assert.NotSame(principal, first);
        Assert.Equal("Bearer", first!.Identity?.AuthenticationType);
        Assert.True(first.Identity?.IsAuthenticated);
        Assert.Equal("auth0|alice", first.Identity?.Name);
        Assert.Null(changedInOneByte);
        Assert.Null(afterReuseLimit);
    }

    [Fact]
    public void ATokenIsNeverRecognisedPastItsExpiry()
    {
        var clock = new ManualClock(Start);
        var validated = new ValidatedTokens(clock);
        validated.Remember("short-lived", Principal("auth0|bob"), Start.AddSeconds(30).UtcDateTime);
        validated.Remember("already-expired", Principal("auth0|bob"), Start.AddSeconds(-1).UtcDateTime);

        var whileValid = validated.Find("short-lived");
        clock.Now = Start.AddSeconds(31);

        Assert.NotNull(whileValid);
        Assert.Null(validated.Find("short-lived"));
        Assert.Null(validated.Find("already-expired"));
    }

    [Fact]
    public void OneRequestCannotChangeTheClaimsTheNextOneSees()
    {
        var validated = new ValidatedTokens(new ManualClock(Start));
        var original = Principal("auth0|alice");
        validated.Remember("token", original, Start.AddHours(1).UtcDateTime);
        var reused = validated.Find("token")!;
        var identity = (ClaimsIdentity)reused.Identity!;
        var admin = new Claim("permissions", "admin:media");

        Assert.Throws<InvalidOperationException>(() => identity.AddClaim(admin));
        Assert.Throws<InvalidOperationException>(() => identity.AddClaims([admin]));
        Assert.Throws<InvalidOperationException>(() => identity.RemoveClaim(identity.FindFirst("permissions")));
        Assert.Throws<InvalidOperationException>(() => identity.TryRemoveClaim(identity.FindFirst("permissions")));
        Assert.Throws<InvalidOperationException>(() => reused.AddIdentity(new ClaimsIdentity([admin], "Extra")));
        Assert.Throws<InvalidOperationException>(() => reused.AddIdentities([new ClaimsIdentity([admin], "Extra")]));
        // Nor does a change to the principal validation produced, after it was remembered.
        ((ClaimsIdentity)original.Identity!).AddClaim(admin);

        var next = validated.Find("token")!;
        Assert.False(next.HasClaim("permissions", "admin:media"));
        Assert.True(next.HasClaim("permissions", "read:media"));
        Assert.Single(next.Identities);
        // A copy is how code that must add claims does it; the copy changes, the shared principal does not.
        var copy = new ClaimsPrincipal(next.Identities.Select(i => i.Clone()));
        ((ClaimsIdentity)copy.Identity!).AddClaim(admin);
        Assert.True(copy.HasClaim("permissions", "admin:media"));
        Assert.False(validated.Find("token")!.HasClaim("permissions", "admin:media"));
    }

    [Fact]
    public void ReusedClaimsAreLookedUpCaseSensitivelyAsJwtBearerDoes()
    {
        var validated = new ValidatedTokens(new ManualClock(Start));
        validated.Remember("token", Principal("auth0|alice"), Start.AddHours(1).UtcDateTime);

        var reused = validated.Find("token")!;

        Assert.Equal("auth0|alice", reused.FindFirstValue("sub"));
        Assert.Null(reused.FindFirst("SUB"));
    }

    [Fact]
    public void AFullStoreMakesRoomOnlyByDroppingExpiredTokens()
    {
        var clock = new ManualClock(Start);
        var validated = new ValidatedTokens(clock, capacity: 2);
        validated.Remember("first", Principal("auth0|alice"), Start.AddSeconds(30).UtcDateTime);
        validated.Remember("second", Principal("auth0|bob"), Start.AddHours(1).UtcDateTime);

        validated.Remember("third", Principal("auth0|vera"), Start.AddHours(1).UtcDateTime);
        var whileFull = (Count: validated.Count, Third: validated.Find("third"), First: validated.Find("first"));
        clock.Now = Start.AddSeconds(31);
        validated.Remember("third", Principal("auth0|vera"), Start.AddHours(1).UtcDateTime);

        Assert.Equal(2, whileFull.Count);
        Assert.Null(whileFull.Third);
        Assert.NotNull(whileFull.First);
        Assert.Equal(2, validated.Count);
        Assert.Null(validated.Find("first"));
        Assert.Equal("auth0|bob", validated.Find("second")?.FindFirstValue("sub"));
        Assert.Equal("auth0|vera", validated.Find("third")?.FindFirstValue("sub"));
    }

    private static ClaimsPrincipal Principal(string subject) =>
        new(new ClaimsIdentity([new Claim("sub", subject), new Claim("permissions", "read:media")], "Bearer", "sub", "role"));

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
